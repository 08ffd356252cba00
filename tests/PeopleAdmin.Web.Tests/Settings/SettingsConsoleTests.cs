using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Settings;

namespace PeopleAdmin.Web.Tests.Settings;

public sealed class SettingsConsoleTests
{
    [Fact]
    public void APatchCarriesOnlyTheSettingsThatChanged()
    {
        var saved = new WorkspaceSettings();
        var edited = saved.Clone();
        edited.AllowEmailUpdatesById = true;

        var patch = SettingsConsole.Diff(saved, edited);

        patch.AllowEmailUpdatesById.ShouldBe(true);
        patch.Identifiers.ShouldBeNull();
        patch.MultiIdentifierMerge.ShouldBeNull();
        patch.BlockedIdentifierValues.ShouldBeNull();
        patch.ChangesRateLimit.ShouldBeFalse();
        patch.AllowedOrigins.ShouldBeNull();
    }

    [Fact]
    public void AnAddedAllowedOriginIsInThePatch()
    {
        var saved = new WorkspaceSettings();
        var edited = saved.Clone();
        edited.AllowedOrigins.Add("https://shop.example.com");

        SettingsConsole.Diff(saved, edited).AllowedOrigins.ShouldBe(["https://shop.example.com"]);
    }

    [Fact]
    public void ReorderedBlockedValuesAreNoChangeButARemovedOneIs()
    {
        var saved = new WorkspaceSettings();
        var reordered = saved.Clone();
        reordered.BlockedIdentifierValues.Reverse();
        var removed = saved.Clone();
        removed.BlockedIdentifierValues.Remove("0");

        SettingsConsole.Diff(saved, reordered).BlockedIdentifierValues.ShouldBeNull();
        SettingsConsole.Diff(saved, removed).BlockedIdentifierValues!.ShouldNotContain("0");
    }

    [Fact]
    public void ClearingTheRateLimitIsAChangeBackToTheDefault()
    {
        var saved = new WorkspaceSettings { RateLimitPerSecond = 50 };
        var edited = saved.Clone();
        edited.RateLimitPerSecond = null;

        var patch = SettingsConsole.Diff(saved, edited);

        patch.ChangesRateLimit.ShouldBeTrue();
        patch.RateLimitPerSecond.ShouldBeNull();
    }
}
