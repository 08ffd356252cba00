using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Rules;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>
/// One table per method of <see cref="SeedRules"/>, each read as the seed states its rule (identity-rules.md: the
/// table of who may change an identifier, and "Automatic merge").
/// </summary>
public sealed class SeedRulesTests
{
    private const string Changes = "may change";

    public static TheoryData<string, IdentifierMode, bool, bool, IdentifierKind, ReferenceKind, string> ChangeTable => new()
    {
        // source, mode, allow_email_updates_by_id, reference_people_by_cio_id, identifier (set), referenced by, answer
        { Sources.Api, IdentifierMode.EmailOrId, false, false, IdentifierKind.Email, ReferenceKind.CioId, Changes },
        { Sources.Api, IdentifierMode.EmailOrId, false, false, IdentifierKind.Email, ReferenceKind.Id, SeedRules.ReasonCioIdOnly },
        { Sources.Api, IdentifierMode.EmailOrId, true, false, IdentifierKind.Email, ReferenceKind.Id, Changes },
        { Sources.Api, IdentifierMode.EmailOrId, true, false, IdentifierKind.Email, ReferenceKind.Email, SeedRules.ReasonCioIdOnly },
        { Sources.Api, IdentifierMode.EmailOrId, false, false, IdentifierKind.Id, ReferenceKind.CioId, Changes },
        { Sources.Api, IdentifierMode.EmailOrId, false, false, IdentifierKind.Id, ReferenceKind.Email, SeedRules.ReasonCioIdOnly },
        { Sources.Api, IdentifierMode.EmailOrId, true, true, IdentifierKind.Id, ReferenceKind.Email, SeedRules.ReasonCioIdOnly },
        { Sources.Api, IdentifierMode.IdOnly, false, false, IdentifierKind.Id, ReferenceKind.CioId, SeedRules.ReasonIdFixed },
        { Sources.Api, IdentifierMode.IdOnly, false, true, IdentifierKind.Id, ReferenceKind.CioId, Changes },
        { Sources.Api, IdentifierMode.IdOnly, false, true, IdentifierKind.Id, ReferenceKind.Id, SeedRules.ReasonIdFixed },
        { Sources.Csv, IdentifierMode.EmailOrId, true, true, IdentifierKind.Email, ReferenceKind.CioId, SeedRules.ReasonImportKeeps },
        { Sources.Sync, IdentifierMode.IdOnly, false, true, IdentifierKind.Id, ReferenceKind.CioId, SeedRules.ReasonImportKeeps },
    };

    [Theory]
    [MemberData(nameof(ChangeTable))]
    public void SetIdentifierChangeRefusalFollowsTheSeedsTable(
        string source, IdentifierMode mode, bool emailById, bool cioIdOrId, IdentifierKind kind, ReferenceKind referencedBy, string expected)
    {
        var settings = new WorkspaceSettings { Identifiers = mode, AllowEmailUpdatesById = emailById, ReferencePeopleByCioId = cioIdOrId };

        var refusal = SeedRules.SetIdentifierChangeRefusal(source, kind, referencedBy, settings);

        (refusal ?? Changes).ShouldBe(expected);
    }

    [Theory]
    [InlineData(IdentifierMode.EmailOrId, false, IdentifierKind.Id, true)]
    [InlineData(IdentifierMode.EmailOrId, false, IdentifierKind.Email, true)]
    [InlineData(IdentifierMode.IdOnly, false, IdentifierKind.Id, false)]
    [InlineData(IdentifierMode.IdOnly, true, IdentifierKind.Id, true)]
    public void CioIdReferenceMayChangeEveryIdentifierButASetIdInIdOnlyWithoutCioIdOrId(IdentifierMode mode, bool cioIdOrId, IdentifierKind kind, bool expected)
    {
        var settings = new WorkspaceSettings { Identifiers = mode, ReferencePeopleByCioId = cioIdOrId };

        SeedRules.CioIdReferenceMayChange(kind, settings).ShouldBe(expected);
    }

    [Theory]
    [InlineData(IdentifierMode.EmailOrId, true, IdentifierKind.Email, ReferenceKind.Id, true)]
    [InlineData(IdentifierMode.EmailOrId, false, IdentifierKind.Email, ReferenceKind.Id, false)]
    [InlineData(IdentifierMode.EmailOrId, true, IdentifierKind.Email, ReferenceKind.Email, false)]
    [InlineData(IdentifierMode.EmailOrId, true, IdentifierKind.Id, ReferenceKind.Id, false)]
    [InlineData(IdentifierMode.IdOnly, true, IdentifierKind.Email, ReferenceKind.Id, false)]
    public void EmailMayChangeByIdOnlyWithAllowEmailUpdatesByIdInEmailOrId(IdentifierMode mode, bool emailById, IdentifierKind kind, ReferenceKind referencedBy, bool expected)
    {
        var settings = new WorkspaceSettings { Identifiers = mode, AllowEmailUpdatesById = emailById };

        SeedRules.EmailMayChangeById(kind, referencedBy, settings).ShouldBe(expected);
    }

    [Theory]
    [InlineData(true, ReferenceKind.Id, false, false, true)]
    [InlineData(true, ReferenceKind.Email, false, false, true)]
    [InlineData(false, ReferenceKind.Id, false, false, false)]
    [InlineData(true, ReferenceKind.CioId, false, false, false)]
    [InlineData(true, ReferenceKind.Id, true, false, false)]
    [InlineData(true, ReferenceKind.Id, false, true, false)]
    public void AutomaticMergeAppliesOnlyWhenAllFourConditionsHold(bool mergeOn, ReferenceKind referencedBy, bool idPersonHasEmail, bool emailPersonHasId, bool expected)
    {
        var settings = new WorkspaceSettings { MultiIdentifierMerge = mergeOn };
        var idPerson = new Person { CioId = "a", ExternalId = "ann", Email = idPersonHasEmail ? "other@example.com" : null };
        var emailPerson = new Person { CioId = "b", Email = "ann@example.com", ExternalId = emailPersonHasId ? "other" : null };

        SeedRules.AutomaticMergeApplies(settings, referencedBy, idPerson, emailPerson).ShouldBe(expected);
    }

    [Theory]
    [InlineData(1_000, 1, 2_000, 2, "older")]
    [InlineData(2_000, 1, 1_000, 2, "younger")]
    [InlineData(1_000, 5, 1_000, 2, "younger")]
    public void OlderProfileWinsByFirstSeenThenByKeyNeverByCreatedAt(long firstSeenA, long idA, long firstSeenB, long idB, string primaryIs)
    {
        var a = new Person { CioId = "a", Id = idA, FirstSeenMs = firstSeenA, CreatedAt = 1 };
        var b = new Person { CioId = "b", Id = idB, FirstSeenMs = firstSeenB, CreatedAt = 0 };

        var (primary, secondary) = SeedRules.OlderProfileWins(a, b);

        primary.ShouldBe(primaryIs == "older" ? a : b);
        secondary.ShouldBe(primaryIs == "older" ? b : a);
    }

    [Theory]
    [InlineData("null", true)]
    [InlineData("  NULL ", true)]
    [InlineData("[object Object]", true)]
    [InlineData("nullable", false)]
    public void IsBlockedComparesTheTrimmedValueWithTheListIgnoringCase(string value, bool expected)
    {
        SeedRules.IsBlocked(new WorkspaceSettings(), value).ShouldBe(expected);
    }
}
