using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Rules;
using PeopleAdmin.Core.People.Store;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.Tests.People;

/// <summary>
/// Which items of an import <see cref="PlainUpdateRules"/> takes (one person holds the identifier and nothing but their
/// attributes changes) and which it leaves to the identify rules; <c>ImportPeopleTests</c> proves that what it takes
/// ends as the rules would leave it.
/// </summary>
public sealed class PlainUpdateRulesTests
{
    private const string Plain = "plain update";
    private const string Rules = "the rules";

    public static TheoryData<IdentifierMode, string, string, string> Table => new()
    {
        // mode, reference, body, who applies it (ann holds id "ann" and email "ann@example.com"; "sup@example.com" is suppressed)
        { IdentifierMode.EmailOrId, "ann", """{"plan":"pro","age":""}""", Plain },
        { IdentifierMode.EmailOrId, "ann", """{"id":"ann","email":"ANN@example.com","created_at":1600000000,"unsubscribed":true}""", Plain },
        { IdentifierMode.EmailOrId, "ann@example.com", """{"plan":"pro"}""", Plain },
        { IdentifierMode.EmailOrId, "nobody", """{"plan":"pro"}""", Rules },
        { IdentifierMode.EmailOrId, "ann", """{"email":"new@example.com"}""", Rules },
        { IdentifierMode.EmailOrId, "ann", """{"email":null}""", Rules },
        { IdentifierMode.EmailOrId, "ann", """{"id":"other"}""", Rules },
        { IdentifierMode.EmailOrId, "ann", """{"email":"sup@example.com"}""", Rules },
        { IdentifierMode.EmailOrId, "ann", """{"_update":true,"plan":"pro"}""", Rules },
        { IdentifierMode.EmailOrId, "ann", """{"anonymous_id":"visitor-1"}""", Rules },
        { IdentifierMode.EmailOrId, "ann", """{"cio_id":"cio_1"}""", Rules },
        { IdentifierMode.EmailOrId, "cio_1", """{"plan":"pro"}""", Rules },
        { IdentifierMode.IdOnly, "ann", """{"plan":"pro"}""", Plain },
        { IdentifierMode.IdOnly, "ann", """{"email":"ann@example.com"}""", Rules },
        { IdentifierMode.IdOnly, "ann@example.com", """{"plan":"pro"}""", Rules },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void APlainUpdateIsOneThatChangesNoIdentifierOfTheOnePersonWhoHoldsIt(IdentifierMode mode, string reference, string body, string expected)
    {
        var workspace = new Workspace
        {
            Id = 1, Name = "w", SiteId = "s", TrackApiKeyHash = "", TrackApiKeyProtected = "", AppApiKeyHash = "", AppApiKeyProtected = "",
            Settings = new WorkspaceSettings { Identifiers = mode },
        };
        var item = new IdentifyOperation(PersonReference.Classify(reference, mode), PeopleHarness.Body(body));
        var (invalid, parsed) = item.Check();
        invalid.ShouldBeNull();

        var target = PlainUpdateRules.Target(item, parsed, workspace, new OnePersonStore(mode), anySuppressions: true);

        (target is null ? Rules : Plain).ShouldBe(expected);
    }

    /// <summary>A store where ann is the one person, and sup@example.com is suppressed.</summary>
    private sealed class OnePersonStore(IdentifierMode mode) : IBulkCreate
    {
        private readonly Person _ann = new()
        {
            Id = 7, WorkspaceId = 1, CioId = "7", ExternalId = "ann", Email = "ann@example.com", EmailNormalized = "ann@example.com",
            EmailIsIdentifier = mode == IdentifierMode.EmailOrId ? true : null,
        };

        public PersonForUpdate? FindForUpdate(int workspaceId, IdentifierKind kind, string valueKey) =>
            (kind == IdentifierKind.Id ? _ann.ExternalId : _ann.IdentifyingEmail) == valueKey ? new PersonForUpdate(_ann, []) : null;

        public bool IsSuppressed(int workspaceId, IdentifierKind kind, string valueKey) => valueKey == "sup@example.com";

        public bool AnySuppressions(int workspaceId) => true;

        public bool IsIdHeld(int workspaceId, string id) => id == _ann.ExternalId;

        public bool IsEmailHeld(int workspaceId, string emailKey) => emailKey == _ann.IdentifyingEmail;

        public void InsertPerson(Person person) => throw new InvalidOperationException("a decision writes nothing");

        public void InsertActivity(Activity activity) => throw new InvalidOperationException("a decision writes nothing");

        public void InsertAttribute(PersonAttribute attribute) => throw new InvalidOperationException("a decision writes nothing");

        public void UpdatePerson(Person person) => throw new InvalidOperationException("a decision writes nothing");

        public void SetAttribute(PersonAttribute attribute) => throw new InvalidOperationException("a decision writes nothing");

        public void RemoveAttribute(PersonAttribute attribute) => throw new InvalidOperationException("a decision writes nothing");

        public void Flush()
        {
        }

        public void Discard()
        {
        }
    }
}
