using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Core.People.Writing;

/// <summary>
/// What an operation applies through: the writer's context and transaction, the writer connection's prepared
/// statements (the hot paths), the operation's context, and the server's clock. One session spans one writer transaction.
/// </summary>
internal sealed class WriteSession(PeopleAdminDbContext db, Store.SqliteStatementCache statements, CommittedWorkspaces committed, TimeProvider clock)
{
    private readonly Dictionary<int, Workspace> _workspaces = [];

    private Store.PeopleStore? _store;

    private Store.SqlitePeopleCommands? _commands;

    private Store.SqliteHotPath? _hot;

    public PeopleAdminDbContext Db { get; } = db;

    /// <summary>The writer connection's prepared statements, kept from one transaction to the next.</summary>
    public Store.SqliteStatementCache Statements { get; } = statements;

    /// <summary>The one seam through which the rules read and write the people store.</summary>
    public Store.PeopleStore Store => _store ??= new Store.PeopleStore(Db, Hot);

    /// <summary>Prepared reads and writes of the everyday operations on this transaction.</summary>
    public Store.SqliteHotPath Hot => _hot ??= new Store.SqliteHotPath(Db, Statements);

    /// <summary>Prepared statements on this transaction, for the hot paths of the store.</summary>
    public Store.SqlitePeopleCommands Commands => _commands ??= new Store.SqlitePeopleCommands(Statements);

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
            if (committed.TryGet(id, out var remembered) && Hot.WorkspaceCounter(id) is { } counter && counter == remembered.NextCioNumber)
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
    public void Committed() => committed.Remember(_workspaces.Values);

    /// <summary>Adds an activity entry of the operation's source at the operation's time, on a person or the workspace.</summary>
    public Activity Log(string type, Person? person, string? data, string? name = null)
    {
        var entry = new Activity
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
        Store.AddActivity(entry);
        return entry;
    }

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
        _hot?.Saved();
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
        _hot?.Reset();
        Db.ChangeTracker.Clear();
    }

    /// <summary>Saves the operation's tracked changes.</summary>
    public Task SaveAsync(CancellationToken cancellationToken) => Hot.SaveAsync(cancellationToken);
}
