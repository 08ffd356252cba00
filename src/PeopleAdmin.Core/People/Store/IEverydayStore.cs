using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Store;

/// <summary>
/// A provider's fast path for the writer's everyday work (identify, events): reads of people, attributes and
/// counters, and the tracking and saving of what an operation changes. Anything that is not everyday work goes
/// through EF Core after <see cref="UseChangeTracker"/>. One instance serves one writer transaction.
/// </summary>
internal interface IEverydayStore
{
    Task<Person?> FindPersonByCioIdAsync(int workspaceId, string cioId, CancellationToken ct);

    Task<Person?> FindPersonByExternalIdAsync(int workspaceId, string id, CancellationToken ct);

    Task<Person?> FindPersonByEmailKeyAsync(int workspaceId, string emailKey, CancellationToken ct);

    /// <summary>The person's attributes by name, as the operation has them so far.</summary>
    Task<Dictionary<string, PersonAttribute>> LoadAttributesAsync(Person person, CancellationToken ct);

    /// <summary>The workspace's cio_id counter as the database has it (see <see cref="Workspace.NextCioNumber"/>), or null when there is no such workspace.</summary>
    long? WorkspaceCounter(int workspaceId);

    /// <summary>Whether the workspace suppresses anybody, read once per transaction.</summary>
    bool AnySuppressions(int workspaceId);

    /// <summary>Only the writer adds suppressions, and it says so here.</summary>
    void SuppressionAdded(int workspaceId);

    bool IsSuppressed(int workspaceId, IdentifierKind kind, string valueKey);

    Task<bool> EventIdSeenAsync(int workspaceId, string eventId, CancellationToken ct);

    /// <summary>
    /// Of the people named by cio_id, those who exist, each with whether <paramref name="filter"/> matches them now, read
    /// in the writer's transaction (after saving what the operation changed so far); a bulk action's batch asks it.
    /// </summary>
    Task<Dictionary<string, bool>> MatchAsync(int workspaceId, Audience.AudienceFilter filter, IReadOnlyList<string> cioIds, CancellationToken ct);

    /// <summary>An activity entry to insert at the next save (entries are only ever inserted).</summary>
    void AddActivity(Activity activity);

    void AddPerson(Person person);

    void AddAttribute(PersonAttribute attribute);

    void RemoveAttribute(PersonAttribute attribute);

    /// <summary>From here to the end of the operation EF Core's change tracker tracks its rows, with their original values.</summary>
    void UseChangeTracker();

    /// <summary>Saves the operation's changes and new activity entries.</summary>
    Task SaveAsync(CancellationToken ct);

    /// <summary>How many people and attributes this path tracks for the operation.</summary>
    int Tracked { get; }

    /// <summary>After the operation's changes are saved: the next operation starts with nothing tracked here.</summary>
    void Saved();

    /// <summary>Forgets unsaved changes and what was read, after the operation was rolled back.</summary>
    void Reset();
}
