using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>Settings changes: validation, the guard that refuses what the data cannot satisfy, the mode switch, the history.</summary>
[BothStores]
public sealed class SettingsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SwitchingToEmailOrIdWhileTwoPeopleShareAnEmailIsRefusedListingBoth()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct, s => s.Identifiers = IdentifierMode.IdOnly);
        harness.Mode = IdentifierMode.IdOnly;
        var a = await harness.IdentifyAsync("a", """{"email":"same@x.com"}""", Ct);
        var b = await harness.IdentifyAsync("b", """{"email":"SAME@x.com"}""", Ct);
        await harness.IdentifyAsync("c", """{"email":"other@x.com"}""", Ct);

        var result = await harness.RunAsync(new ChangeSettingsOperation(new SettingsPatch { Identifiers = IdentifierMode.EmailOrId, MultiIdentifierMerge = false }), Ct);

        result.Error!.Kind.ShouldBe(ErrorKind.Conflict);
        result.Error.Conflicts.Select(c => (c.CioId, c.Identifier, c.Value)).ShouldBe([(a.CioId, "email", "same@x.com"), (b.CioId, "email", "SAME@x.com")]);
        var settings = await harness.Service.GetSettingsAsync(harness.WorkspaceId, Ct);
        settings!.Identifiers.ShouldBe(IdentifierMode.IdOnly);
        settings.MultiIdentifierMerge.ShouldBeTrue();
    }

    [Fact]
    public async Task SwitchingToEmailOrIdWhileALivePersonsEmailIsSuppressedIsRefused()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct, s => s.Identifiers = IdentifierMode.IdOnly);
        harness.Mode = IdentifierMode.IdOnly;
        var a = await harness.IdentifyAsync("a", """{"email":"s@x.com"}""", Ct);
        await harness.SuppressDirectlyAsync(IdentifierKind.Email, "S@x.com", Ct);

        var result = await harness.RunAsync(new ChangeSettingsOperation(new SettingsPatch { Identifiers = IdentifierMode.EmailOrId }), Ct);

        result.Error!.Conflicts.Single().ShouldBe(new Conflict(a.CioId, "email", "s@x.com", "the email is suppressed"));
    }

    [Fact]
    public async Task SwitchingToIdOnlyWhilePeopleHaveAnEmailButNoIdIsRefused()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var emailOnly = await harness.IdentifyAsync("e@x.com", "{}", Ct);
        await harness.IdentifyAsync("a", "{}", Ct);

        var result = await harness.RunAsync(new ChangeSettingsOperation(new SettingsPatch { Identifiers = IdentifierMode.IdOnly }), Ct);

        result.Error!.Conflicts.Single().CioId.ShouldBe(emailOnly.CioId);
        result.Error.Message.ShouldContain("would be left without an identifier");
    }

    [Fact]
    public async Task BlockingAValueThatAPersonHoldsAsAnIdentifierIsRefused()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        var bob = await harness.IdentifyAsync("bob", "{}", Ct);
        var mail = await harness.IdentifyAsync("test@x.com", "{}", Ct);

        var result = await harness.RunAsync(new ChangeSettingsOperation(new SettingsPatch { BlockedIdentifierValues = ["BOB", "Test@X.com", "free"] }), Ct);

        result.Error!.Field.ShouldBe("blocked_identifier_values");
        result.Error.Conflicts.Select(c => c.CioId).ShouldBe([bob.CioId, mail.CioId]);
    }

    [Fact]
    public async Task SwitchingModesMovesEmailUniquenessAndRecordsEachChangedSetting()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);
        await harness.IdentifyAsync("a", """{"email":"a@x.com"}""", Ct);

        var toIdOnly = await harness.RunAsync(new ChangeSettingsOperation(new SettingsPatch { Identifiers = IdentifierMode.IdOnly, ReferencePeopleByCioId = true }), Ct);
        harness.Mode = IdentifierMode.IdOnly;
        var sharing = await harness.IdentifyAsync("b", """{"email":"A@x.com"}""", Ct);

        toIdOnly.Status.ShouldBe(OperationStatus.Applied);
        sharing.Created.ShouldBeTrue();
        (await harness.PeopleAsync(Ct)).ShouldAllBe(p => p.EmailIsIdentifier == null);
        await using var db = await harness.ContextAsync(Ct);
        var history = await db.SettingsChanges.Where(c => c.WorkspaceId == harness.WorkspaceId).OrderBy(c => c.Id).ToListAsync(Ct);
        history.Select(h => (h.Setting, h.FromValue, h.ToValue, h.Actor)).ShouldBe(
            [("identifiers", "email_or_id", "id_only", "api"), ("reference_people_by_cio_id", "false", "true", "api")]);
    }

    [Fact]
    public async Task SwitchingBackToEmailOrIdMakesEmailsUniqueAgain()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct, s => s.Identifiers = IdentifierMode.IdOnly);
        harness.Mode = IdentifierMode.IdOnly;
        await harness.IdentifyAsync("a", """{"email":"A@x.com"}""", Ct);

        await harness.RunAsync(new ChangeSettingsOperation(new SettingsPatch { Identifiers = IdentifierMode.EmailOrId }), Ct);
        harness.Mode = IdentifierMode.EmailOrId;
        var byEmail = await harness.IdentifyAsync("a@x.com", """{"plan":"pro"}""", Ct);

        byEmail.Created.ShouldBeFalse();
        (await harness.PeopleAsync(Ct)).Single().IdentifyingEmail.ShouldBe("a@x.com");
    }

    public static TheoryData<SettingsPatch, string, string> InvalidPatches => new()
    {
        { new SettingsPatch { BlockedIdentifierValues = ["ok", " "] }, "blocked_identifier_values[1]", "a blocked value must be a non-empty string" },
        { new SettingsPatch { ChangesRateLimit = true, RateLimitPerSecond = 0 }, "rate_limit_per_second", "must be a positive whole number or null" },
        { new SettingsPatch { AllowedOrigins = ["https://ok.example.com", "shop.example.com"] }, "allowed_origins[1]", "\"shop.example.com\" is not an origin: write scheme://host[:port]" },
        { new SettingsPatch { AllowedOrigins = ["https://shop.example.com/checkout"] }, "allowed_origins[0]", "an origin has no path, query or credentials; write https://shop.example.com" },
        { new SettingsPatch { AllowedOrigins = ["ftp://shop.example.com"] }, "allowed_origins[0]", "is not an origin" },
        { new SettingsPatch { AllowedOrigins = [.. Enumerable.Range(0, 51).Select(i => $"https://s{i}.example.com")] }, "allowed_origins", "allowed_origins holds 51 origins; the limit is 50" },
        {
            new SettingsPatch { BlockedIdentifierValues = [.. Enumerable.Range(0, Limits.BlockedIdentifierValues + 1).Select(i => $"blocked-{i}")] },
            "blocked_identifier_values",
            $"blocked_identifier_values holds {Limits.BlockedIdentifierValues + 1} values; the limit is {Limits.BlockedIdentifierValues}"
        },
    };

    [Theory]
    [MemberData(nameof(InvalidPatches))]
    public async Task AnInvalidPatchIsRejectedNamingTheField(SettingsPatch patch, string field, string message)
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        var result = await harness.RunAsync(new ChangeSettingsOperation(patch), Ct);

        result.Error!.Kind.ShouldBe(ErrorKind.Invalid);
        result.Error.Field.ShouldBe(field);
        result.Error.Message.ShouldContain(message);
    }

    [Fact]
    public async Task AnInapplicableFlagIsStoredInertAndASettingsChangeIsLogged()
    {
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        await harness.RunAsync(new ChangeSettingsOperation(new SettingsPatch { ReferencePeopleByCioId = true, ChangesRateLimit = true, RateLimitPerSecond = 50 }), Ct);

        var settings = await harness.Service.GetSettingsAsync(harness.WorkspaceId, Ct);
        settings!.ReferencePeopleByCioId.ShouldBeTrue();
        settings.RateLimitPerSecond.ShouldBe(50);
        (await harness.ActivityAsync(Ct)).Single().Type.ShouldBe(ActivityTypes.SettingsChange);
    }

    [Fact]
    public async Task AllowedOriginsAreStoredAsBrowsersSendThemAndTheChangeIsInTheHistory()
    {
        // Arrange
        await using var harness = await PeopleHarness.CreateAsync(Ct);

        // Act
        var result = await harness.RunAsync(
            new ChangeSettingsOperation(new SettingsPatch { AllowedOrigins = ["HTTPS://Shop.Example.com/", "https://shop.example.com:443", "http://localhost:8080"] }), Ct);

        // Assert
        result.Status.ShouldBe(OperationStatus.Applied);
        (await harness.Service.GetSettingsAsync(harness.WorkspaceId, Ct))!.AllowedOrigins.ShouldBe(["https://shop.example.com", "http://localhost:8080"]);
        await using var db = await harness.ContextAsync(Ct);
        var change = await db.SettingsChanges.SingleAsync(Ct);
        (change.Setting, change.FromValue, change.ToValue).ShouldBe(("allowed_origins", "", "https://shop.example.com, http://localhost:8080"));
    }
}
