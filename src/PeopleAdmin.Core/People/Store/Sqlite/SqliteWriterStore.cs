using System.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Core.People.Store.Sqlite;

/// <summary>SQLite's side of the single writer: its own connection with prepared statements, and the checkpointer beside it.</summary>
internal sealed class SqliteWriterStore(IDbContextFactory<PeopleAdminDbContext> factory, ILogger logger) : IWriterStore
{
    /// <summary>EF Core's name for its SQLite provider (<c>Database.ProviderName</c>).</summary>
    public const string ProviderName = "Microsoft.EntityFrameworkCore.Sqlite";

    private readonly WalCheckpointer _checkpointer = new(factory, logger);

    /// <summary>
    /// A context on a connection of the writer's own, opened through EF Core so that its interceptor sets the
    /// connection's pragmas; not the pool's, whose connections the statements prepared on it would outlive.
    /// </summary>
    public async Task<IWriterConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var db = await factory.CreateDbContextAsync(cancellationToken);
        var connection = new SqliteConnection(db.Database.GetConnectionString());
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

        return new SqliteWriterConnection(db, new SqliteStatementCache(connection));
    }

    public void Committed() => _checkpointer.Committed();

    public void Dispose() => _checkpointer.Dispose();
}

/// <summary>The writer's SQLite connection: its statements are prepared once and kept for the connection's life.</summary>
internal sealed class SqliteWriterConnection(PeopleAdminDbContext db, SqliteStatementCache statements) : IWriterConnection
{
    public PeopleAdminDbContext Db { get; } = db;

    public SqliteStatementCache Statements { get; } = statements;

    public bool IsOpen => Statements.Connection.State == ConnectionState.Open;

    public long RowsWritten => Statements.TotalChanges;

    // A SQLite file has one writer: the app instance whose data folder holds it.
    public bool OnlyWriter => true;

    public Task LockWorkspacesAsync(IReadOnlyList<int> workspaceIds, CancellationToken cancellationToken) => Task.CompletedTask;

    public IEverydayStore BeginEveryday() => new SqliteHotPath(Db, Statements);

    public IBulkCreate BeginBulkCreate() => new SqlitePeopleCommands(Statements);

    // One statement per batch: the rows arrive as one JSON array ([cio_id, outcome, row] each) that json_each takes apart.
    public void RecordImportPeople(IReadOnlyList<Imports.ImportPerson> people)
    {
        if (people.Count == 0)
        {
            return;
        }

        Statements.Get(
            """
            INSERT INTO ImportPeople (WorkspaceId, ImportId, CioId, Outcome, Row)
            SELECT ?1, ?2, value ->> 0, value ->> 1, value ->> 2 FROM json_each(?3) WHERE true
            ON CONFLICT DO NOTHING
            """)
            .Bind(1, people[0].WorkspaceId).Bind(2, people[0].ImportId).Bind(3, Json(people)).Execute();
    }

    private static string Json(IReadOnlyList<Imports.ImportPerson> people)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(people.Count * 32);
        using (var json = new System.Text.Json.Utf8JsonWriter(buffer))
        {
            json.WriteStartArray();
            foreach (var person in people)
            {
                json.WriteStartArray();
                json.WriteStringValue(person.CioId);
                json.WriteNumberValue((byte)person.Outcome);
                json.WriteNumberValue(person.Row);
                json.WriteEndArray();
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public bool SuspendReferenceChecks()
    {
        using var command = Statements.Connection.CreateCommand();
        command.CommandText = "PRAGMA foreign_keys";
        if ((long)command.ExecuteScalar()! == 0)
        {
            return false;
        }

        // SQLite ignores this pragma inside a transaction: the writer asks between two.
        command.CommandText = "PRAGMA foreign_keys = OFF";
        command.ExecuteNonQuery();
        return true;
    }

    public void ResumeReferenceChecks()
    {
        using var command = Statements.Connection.CreateCommand();
        command.CommandText = "PRAGMA foreign_keys = ON";
        command.ExecuteNonQuery();
    }

    // Names are the writer's own constants, never input: they are part of the statement's text.
    public void Savepoint(string name) => Statements.Get($"SAVEPOINT {name}").Execute();

    public void ReleaseSavepoint(string name) => Statements.Get($"RELEASE {name}").Execute();

    public void RollbackToSavepoint(string name)
    {
        Statements.Get($"ROLLBACK TO {name}").Execute();
        ReleaseSavepoint(name);
    }

    public void Dispose()
    {
        Db.Dispose();
        Statements.Dispose();
        Statements.Connection.Dispose();
    }
}
