using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People.Store;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Writing;

/// <summary>
/// What an operation applies through: the writer's connection (its context, transaction and savepoints), the store's
/// everyday and bulk paths on it, the operation's context, and the server's clock. One session spans one writer transaction.
/// </summary>
internal sealed class WriteSession(IWriterConnection connection, CommittedWorkspaces committed, TimeProvider clock)
{
    private readonly Dictionary<int, Workspace> _workspaces = [];

    private PeopleStore? _store;

    private IEverydayStore? _everyday;

    private IBulkCreate? _bulk;

    /// <summary>The writer's connection, its context and its savepoints.</summary>
    public IWriterConnection Connection { get; } = connection;

    public PeopleAdminDbContext Db => Connection.Db;

    /// <summary>The one seam through which the rules read and write the people store.</summary>
    public PeopleStore Store => _store ??= new PeopleStore(Db, Everyday);

    /// <summary>The provider's reads and writes of the everyday operations on this transaction.</summary>
    public IEverydayStore Everyday => _everyday ??= Connection.BeginEveryday();

    /// <summary>The provider's bulk create on this transaction, for plain new people.</summary>
    public IBulkCreate BulkCreate => _bulk ??= Connection.BeginBulkCreate();

    public OperationContext Context { get; set; } = null!;

    public TimeProvider Clock { get; } = clock;

    /// <summary>The server's time of the operation, unix milliseconds.</summary>
    public long NowMs => Clock.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// The operation's workspace, tracked so that changes to it are saved: as the last committed transaction left it
    /// (checked by its cio_id counter), else read.
    /// </summary>
    public async Task<Workspace?> FindWorkspaceAsync(CancellationToken cancellationToken)
    {
        // A rolled-back operation clears the change tracker and, with it, this cache (see Reset).
        var id = Context.WorkspaceId;
        if (!_workspaces.TryGetValue(id, out var workspace))
        {
            if (committed.TryGet(id, out var remembered) && Everyday.WorkspaceCounter(id) is { } counter && counter == remembered.NextCioNumber)
            {
                Db.Workspaces.Attach(remembered);
                workspace = remembered;
            }
            else
            {
                workspace = await Db.Workspaces.FirstOrDefaultAsync(w => w.Id == id, cancellationToken);
            }

            if (workspace is null)
            {
                return null;
            }

            _workspaces[id] = workspace;
        }

        return workspace;
    }

    /// <summary>After the transaction committed: its workspaces are what the next transaction may start from.</summary>
    public void Committed()
    {
        // Another instance's writer may change a workspace before the next transaction: nothing is carried over then.
        if (Connection.OnlyWriter)
        {
            committed.Remember(_workspaces.Values);
        }
    }

    /// <summary>Adds an activity entry of the operation's source at the operation's time, on a person or the workspace.</summary>
    public Activity Log(string type, Person? person, string? data, string? name = null)
    {
        var entry = Entry(type, person, data, name);
        Store.AddActivity(entry);
        return entry;
    }

    /// <summary>The entry <see cref="Log"/> adds, for a bulk path to insert itself.</summary>
    public Activity Entry(string type, Person? person, string? data, string? name = null) => new()
    {
        WorkspaceId = Context.WorkspaceId,
        PersonId = person?.Id,
        CioId = person?.CioId,
        Type = type,
        Source = Context.Source,
        AtMs = NowMs,
        Data = data,
        Name = name,
        Actor = Context.Actor,
    };

    /// <summary>An entry about a person who no longer exists (deleted, suppressed): it keeps their cio_id only.</summary>
    public Activity LogRetired(string type, string cioId, string? data)
    {
        var entry = Log(type, null, data);
        entry.CioId = cioId;
        return entry;
    }

    /// <summary>
    /// After an operation's changes are saved: forgets its entities but keeps the workspaces tracked, so that the
    /// next operation's changes to them (the cio_id counter) are saved too.
    /// </summary>
    public void Saved()
    {
        // Detaching one by one keeps the workspaces tracked (attaching them again would snapshot them again) and
        // needs no change detection: everything tracked was just saved.
        _everyday?.Saved();
        var tracker = Db.ChangeTracker;
        tracker.AutoDetectChangesEnabled = false;
        try
        {
            foreach (var entry in tracker.Entries().ToList())
            {
                if (entry.Entity is not (Workspace or WorkspaceSettings))
                {
                    entry.State = EntityState.Detached;
                }
            }
        }
        finally
        {
            tracker.AutoDetectChangesEnabled = true;
        }
    }

    /// <summary>Forgets what was read and not saved, after an operation was rolled back to its savepoint.</summary>
    public void Reset()
    {
        _workspaces.Clear();
        committed.Forget();
        _everyday?.Reset();
        _bulk?.Discard();
        Db.ChangeTracker.Clear();
    }

    /// <summary>Saves the operation's tracked changes.</summary>
    public Task SaveAsync(CancellationToken cancellationToken) => Everyday.SaveAsync(cancellationToken);
}
