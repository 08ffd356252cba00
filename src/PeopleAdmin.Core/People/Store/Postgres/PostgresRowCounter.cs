using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace PeopleAdmin.Core.People.Store.Postgres;

/// <summary>
/// The rows written on a connection, for the writer's question whether a rejected operation wrote anything: SQLite
/// keeps that count itself (<c>total_changes()</c>), PostgreSQL does not, so EF Core's commands on a tracked
/// connection report theirs here, and the bulk create adds its own.
/// </summary>
internal sealed class PostgresRowCounter : DbCommandInterceptor
{
    public static readonly PostgresRowCounter Instance = new();

    private static readonly ConditionalWeakTable<DbConnection, Count> Counts = new();

    public static Count Track(DbConnection connection) => Counts.GetValue(connection, _ => new Count());

    public override int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
    {
        Add(command, result);
        return result;
    }

    public override ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        Add(command, result);
        return ValueTask.FromResult(result);
    }

    // SaveChanges reads what its statements return (keys), so its rows are known once its reader is done.
    public override InterceptionResult DataReaderDisposing(DbCommand command, DataReaderDisposingEventData eventData, InterceptionResult result)
    {
        Add(command, eventData.RecordsAffected);
        return result;
    }

    private static void Add(DbCommand command, int rows)
    {
        if (rows > 0 && command.Connection is { } connection && Counts.TryGetValue(connection, out var count))
        {
            count.Add(rows);
        }
    }

    internal sealed class Count
    {
        private long _rows;

        public long Rows => Interlocked.Read(ref _rows);

        public void Add(long rows) => Interlocked.Add(ref _rows, rows);
    }
}
