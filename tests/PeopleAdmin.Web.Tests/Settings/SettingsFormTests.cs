using AngleSharp.Dom;
using Bunit;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Settings;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Settings;

public sealed class SettingsFormTests : MudTestContext
{
    private IRenderedComponent<SettingsForm> RenderForm(WorkspaceSettings settings, bool readOnly = false, RequestError? error = null, Action<WorkspaceSettings>? onSave = null) =>
        Render<SettingsForm>(p => p
            .Add(f => f.Settings, settings)
            .Add(f => f.ReadOnly, readOnly)
            .Add(f => f.Error, error)
            .Add(f => f.OnSave, (WorkspaceSettings s) => onSave?.Invoke(s)));

    private static IElement Input(IRenderedComponent<SettingsForm> form, string testId) =>
        form.Find($"input[data-testid='{testId}'], [data-testid='{testId}'] input");

    private static IElement? Button(IRenderedComponent<SettingsForm> form, string text) =>
        form.FindAll("button").FirstOrDefault(b => b.TextContent.Trim() == text);

    [Fact]
    public void InEmailOrIdTheEmailUpdateSwitchIsAvailableAndTheIdRuleIsExplained()
    {
        var form = RenderForm(new WorkspaceSettings { Identifiers = IdentifierMode.EmailOrId });

        Input(form, "allow-email-updates").HasAttribute("disabled").ShouldBeFalse();
        form.FindAll("[data-testid='reference-by-cio-id']").ShouldBeEmpty();
        form.Find("[data-testid='id-rule']").TextContent.ShouldContain("changes only through cio_id");
    }

    [Fact]
    public void InIdOnlyTheEmailUpdateSwitchIsDisabledWithAReasonAndTheIdChoiceAppears()
    {
        var form = RenderForm(new WorkspaceSettings { Identifiers = IdentifierMode.IdOnly });

        Input(form, "allow-email-updates").HasAttribute("disabled").ShouldBeTrue();
        form.Markup.ShouldContain("Applies only when email is an identifier");
        form.Find("[data-testid='reference-by-cio-id']").ShouldNotBeNull();
        form.Find("[data-testid='mode-explanation']").TextContent.ShouldContain("Email becomes an ordinary attribute");
    }

    [Fact]
    public void ChoosingIdOnlyShowsTheIdChoiceAtOnce()
    {
        var form = RenderForm(new WorkspaceSettings());

        Input(form, "mode-id-only").Click();

        form.Find("[data-testid='reference-by-cio-id']").ShouldNotBeNull();
    }

    [Fact]
    public void AReadOnlyFormHasNoSaveButtonAndDisabledControls()
    {
        var form = RenderForm(new WorkspaceSettings(), readOnly: true);

        Button(form, "Save settings").ShouldBeNull();
        Input(form, "multi-identifier-merge").HasAttribute("disabled").ShouldBeTrue();
        form.FindAll("input[type='radio']").ShouldAllBe(r => r.HasAttribute("disabled"));
    }

    [Fact]
    public void SaveIsDisabledUntilSomethingChangesAndThenSendsTheEditedCopy()
    {
        var saved = new WorkspaceSettings();
        WorkspaceSettings? sent = null;
        var form = RenderForm(saved, onSave: s => sent = s);
        Button(form, "Save settings")!.HasAttribute("disabled").ShouldBeTrue();

        Input(form, "allow-email-updates").Change(true);
        Button(form, "Save settings")!.Click();

        sent.ShouldNotBeNull();
        sent.AllowEmailUpdatesById.ShouldBeTrue();
        saved.AllowEmailUpdatesById.ShouldBeFalse("the form edits a copy");
    }

    [Theory]
    [InlineData("", "Type the value to block.")]
    [InlineData("NULL", "\"NULL\" is already blocked.")]
    public void ABlockedValueThatIsEmptyOrAlreadyListedIsRefusedWithTheReason(string value, string message)
    {
        var form = RenderForm(new WorkspaceSettings());

        form.Find("input[type='text']").Input(value);
        Button(form, "Add")!.Click();

        form.Find("form, div").TextContent.ShouldContain(message);
    }

    [Fact]
    public void ABlockedValueOverTheIdLimitIsRefused()
    {
        var form = RenderForm(new WorkspaceSettings());

        form.Find("input[type='text']").Input(new string('x', 151));
        Button(form, "Add")!.Click();

        form.Markup.ShouldContain("at most 150 bytes");
    }

    [Fact]
    public void ANewBlockedValueIsListedAndTheDefaultsCanBeRestored()
    {
        var form = RenderForm(new WorkspaceSettings { BlockedIdentifierValues = [] });
        form.Markup.ShouldContain("No value is blocked.");

        form.Find("input[type='text']").Input("test");
        Button(form, "Add")!.Click();
        form.Find("[data-testid='blocked-values']").TextContent.ShouldContain("test");

        Button(form, "Restore defaults")!.Click();
        form.Find("[data-testid='blocked-values']").TextContent.ShouldContain("undefined");
        form.Find("[data-testid='blocked-values']").TextContent.ShouldNotContain("test");
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("99999999999")]
    [InlineData("ten")]
    [InlineData("2.5")]
    public void ARateLimitThatIsNotAWholeNumberInRangeIsExplainedAndBlocksSaving(string typed)
    {
        var form = RenderForm(new WorkspaceSettings());

        Input(form, "rate-limit").Input(typed);

        form.Find(".mud-input-helper-text.mud-input-error").TextContent.ShouldStartWith($"\"{typed}\" is not allowed: the rate limit is a whole number from 1 to 100,000");
        Button(form, "Save settings")!.HasAttribute("disabled").ShouldBeTrue();
    }

    [Fact]
    public void ARefusedChangeListsTheConflictingPeopleWithLinksToTheirProfiles()
    {
        var error = new RequestError(ErrorKind.Conflict, "identifiers", "2 people share an email.")
        {
            Conflicts =
            [
                new Conflict("abc1", "email", "sam@example.com", "shares this email with cio_abc2"),
                new Conflict("abc2", "email", "SAM@example.com", "shares this email with cio_abc1"),
            ],
        };

        var form = RenderForm(new WorkspaceSettings(), error: error);

        var alert = form.Find("[data-testid='settings-error']");
        alert.TextContent.ShouldContain("Nothing was saved.");
        alert.TextContent.ShouldContain("stand in the way (2)");
        form.FindAll("[data-testid='settings-conflicts'] a").Select(a => a.GetAttribute("href")).ShouldBe(["/people/abc1", "/people/abc2"]);
        alert.TextContent.ShouldContain("SAM@example.com");
    }
}
