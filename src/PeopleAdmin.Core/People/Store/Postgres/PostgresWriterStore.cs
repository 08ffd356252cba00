using System.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Core.People.Store.Postgres;

/// <summary>PostgreSQL's side of the single writer: a connection of its own, kept while its transactions succeed.</summary>
internal sealed class PostgresWriterStore(IDbContextFactory<PeopleAdminDbContext> factory) : IWriterStore
{
    /// <summary>EF Core's name for its PostgreSQL provider (<c>Database.ProviderName</c>).</summary>
    public const string ProviderName = "Npgsql.EntityFrameworkCore.PostgreSQL";

    public async Task<IWriterConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var db = await factory.CreateDbContextAsync(cancellationToken);
        // The writer runs the same few statements all day: Npgsql prepares them on the server after their second use.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString())
        {
            MaxAutoPrepare = 128,
            AutoPrepareMinUsages = 2,
        }.ConnectionString);
        try
        {
            db.Database.SetDbConnection(connection, contextOwnsConnection: false);
            await db.Database.OpenConnectionAsync(cancellationToken);
        }
        catch
        {
            await db.DisposeAsync();
            await connection.DisposeAsync();
            throw;
        }

        return new PostgresWriterConnection(db, connection);
    }

    public void Committed()
    {
    }

    public void Dispose()
    {
    }
}

/// <summary>
/// The writer's PostgreSQL connection: EF Core's context on it, savepoints through EF Core, rows counted by
/// <see cref="PostgresRowCounter"/>, and the prepared statements of the everyday path and the bulk create.
/// </summary>
internal sealed class PostgresWriterConnection : IWriterConnection
{
    private readonly NpgsqlConnection _connection;
    private readonly PostgresRowCounter.Count _rows;
    private readonly PostgresCommands _commands;
    private PostgresBulkCreate? _bulk;

    public PostgresWriterConnection(PeopleAdminDbContext db, NpgsqlConnection connection)
    {
        Db = db;
        _connection = connection;
        _rows = PostgresRowCounter.Track(connection);
        _commands = new PostgresCommands(connection, _rows);
    }

    public PeopleAdminDbContext Db { get; }

    public bool IsOpen => _connection.FullState == ConnectionState.Open;

    public long RowsWritten => _rows.Rows;

    public bool OnlyWriter => false;

    public async Task LockWorkspacesAsync(IReadOnlyList<int> workspaceIds, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            "SELECT \"Id\" FROM \"Workspaces\" WHERE \"Id\" = ANY(@ids) ORDER BY \"Id\" FOR UPDATE", _connection);
        command.Parameters.Add(new NpgsqlParameter<int[]>("ids", [.. workspaceIds]));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
        }
    }

    public IEverydayStore BeginEveryday() => new PostgresHotPath(Db, _commands);

    public IBulkCreate BeginBulkCreate() => _bulk ??= new PostgresBulkCreate(Db, _commands, _rows);

    public void SendHeldWrites() => _commands.Send();

    // A held write like the bulk create's: it travels in front of the batch's next round trip.
    public void RecordImportPeople(IReadOnlyList<Imports.ImportPerson> people)
    {
        if (people.Count == 0)
        {
            return;
        }

        _commands.Hold(
            """
            INSERT INTO "ImportPeople" ("WorkspaceId", "ImportId", "CioId", "Outcome", "Row")
            SELECT $1, $2, p.cio_id, p.outcome, p.row FROM unnest($3, $4, $5) AS p(cio_id, outcome, row)
            ON CONFLICT DO NOTHING
            """,
            (NpgsqlDbType.Integer, people[0].WorkspaceId),
            (NpgsqlDbType.Bigint, people[0].ImportId),
            (NpgsqlDbType.Array | NpgsqlDbType.Text, people.Select(p => p.CioId).ToArray()),
            (NpgsqlDbType.Array | NpgsqlDbType.Smallint, people.Select(p => (short)p.Outcome).ToArray()),
            (NpgsqlDbType.Array | NpgsqlDbType.Bigint, people.Select(p => p.Row).ToArray()));
    }

    public void Savepoint(string name) => Db.Database.CurrentTransaction!.CreateSavepoint(name);

    public void ReleaseSavepoint(string name) => Db.Database.CurrentTransaction!.ReleaseSavepoint(name);

    public void RollbackToSavepoint(string name)
    {
        _bulk?.Discard();
        Db.Database.CurrentTransaction!.RollbackToSavepoint(name);
        ReleaseSavepoint(name);
    }

    public void Dispose()
    {
        _commands.Dispose();
        Db.Dispose();
        _connection.Dispose();
    }
}
