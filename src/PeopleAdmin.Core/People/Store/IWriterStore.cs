using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Core.People.Store;

/// <summary>
/// What the single writer needs from a store provider, in Core's own terms: a connection of its own, kept from one
/// transaction to the next, and a word after every commit. A provider brings one of these (with the connection and
/// the everyday and bulk paths below); nothing of the rules or the writer changes.
/// </summary>
internal interface IWriterStore : IDisposable
{
    /// <summary>The writer's connection, opened with the provider's settings; the writer keeps it while its transactions succeed.</summary>
    Task<IWriterConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>A writer transaction committed (a provider may, for example, copy its log beside the writer).</summary>
    void Committed();
}

/// <summary>The writer's own connection and what runs on it: EF Core's context, the everyday and bulk paths, savepoints.</summary>
internal interface IWriterConnection : IDisposable
{
    /// <summary>The writer's context on this connection; EF Core begins and commits the writer's transactions on it.</summary>
    PeopleAdminDbContext Db { get; }

    /// <summary>False once the connection broke; the writer then opens another.</summary>
    bool IsOpen { get; }

    /// <summary>
    /// Rows inserted, updated or deleted on this connection so far, by the provider's statements and EF Core's alike:
    /// the writer compares it before and after an operation to know whether a rejected operation wrote anything.
    /// </summary>
    long RowsWritten { get; }

    /// <summary>
    /// False where the writers of other app instances may share the database: the writer then takes its workspaces'
    /// rows at the start of each transaction (<see cref="LockWorkspacesAsync"/>) and reads each workspace anew.
    /// </summary>
    bool OnlyWriter { get; }

    /// <summary>
    /// Where other writers share the database, takes the rows of these workspaces (in key order, so that two writers
    /// never deadlock) until the transaction ends: the writers of a deployment take turns on a workspace, and each
    /// sees what the other committed (its people, its cio_id counter, its settings).
    /// </summary>
    Task LockWorkspacesAsync(IReadOnlyList<int> workspaceIds, CancellationToken cancellationToken);

    /// <summary>The everyday path for one writer transaction (its reads and what it tracks start empty).</summary>
    IEverydayStore BeginEveryday();

    /// <summary>The bulk create for one writer transaction, for plain new people.</summary>
    IBulkCreate BeginBulkCreate();

    /// <summary>
    /// Sends the writes the provider holds back to put them in front of its next round trip (PostgreSQL), so that a write
    /// that fails, fails here: the writer calls it before a commit and, when each operation has a savepoint, after each.
    /// </summary>
    void SendHeldWrites()
    {
    }

    /// <summary>
    /// Before a transaction, turns the database's foreign-key checks off for this connection until
    /// <see cref="ResumeReferenceChecks"/>, where the provider allows it (SQLite); false where it changed nothing.
    /// The writer asks only for operations that keep their own references (<see cref="PeopleOperation.KeepsItsOwnReferences"/>).
    /// </summary>
    bool SuspendReferenceChecks() => false;

    /// <summary>After the transaction: the checks that <see cref="SuspendReferenceChecks"/> turned off are on again.</summary>
    void ResumeReferenceChecks()
    {
    }

    /// <summary>
    /// Records the people an import's batch created or updated, in one statement in the writer's transaction (people
    /// named once each); a person the import already recorded keeps that record (a resumed batch writes nothing twice).
    /// </summary>
    void RecordImportPeople(IReadOnlyList<Imports.ImportPerson> people);

    /// <summary>Marks a point of the current transaction that <see cref="RollbackToSavepoint"/> can return to.</summary>
    void Savepoint(string name);

    void ReleaseSavepoint(string name);

    /// <summary>Undoes what was written since the savepoint, and ends it.</summary>
    void RollbackToSavepoint(string name);
}
