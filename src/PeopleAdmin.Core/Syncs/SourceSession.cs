using System.Data;
using System.Data.Common;
using System.Globalization;

namespace PeopleAdmin.Core.Syncs;

/// <summary>A preview: the query's columns and its first rows, each value as the import would read it.</summary>
public sealed record SourcePreview(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows);

/// <summary>One connection to a source with a read-only transaction open on it; disposing rolls it back and closes.</summary>
public sealed class SourceSession : IAsyncDisposable
{
    private readonly SourceDatabase _database;
    private readonly DbConnection _connection;
    private readonly DbTransaction _transaction;

    internal SourceSession(SourceDatabase database, DbConnection connection, DbTransaction transaction)
    {
        _database = database;
        _connection = connection;
        _transaction = transaction;
    }

    internal DbCommand CreateCommand(string sql)
    {
        var command = _connection.CreateCommand();
        command.Transaction = _transaction;
        command.CommandText = sql;
        return command;
    }

    /// <summary>
    /// The query's column names, asked of the source without reading rows (PostgreSQL describes the statement;
    /// MySQL runs it with a select limit of 0). More than one statement is refused.
    /// </summary>
    public async Task<IReadOnlyList<string>> DescribeAsync(SyncQuery query, DateTimeOffset lastSyncTime, CancellationToken ct)
    {
        await using var command = Command(query, lastSyncTime);
        try
        {
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SchemaOnly, ct);
            var columns = Columns(reader);
            if (await reader.NextResultAsync(ct))
            {
                throw new SyncSourceException(SourceStages.Query, "query holds more than one statement: a sync runs one SELECT");
            }

            return columns;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            throw _database.Classify(exception, opening: false);
        }
    }

    public async Task<SourcePreview> PreviewAsync(SyncQuery query, DateTimeOffset lastSyncTime, int limit, CancellationToken ct)
    {
        await using var command = Command(query, lastSyncTime);
        try
        {
            await using var reader = await _database.ExecuteLimitedAsync(this, command, limit, ct);
            var columns = Columns(reader);
            var rows = new List<IReadOnlyList<string?>>();
            while (rows.Count < limit && await reader.ReadAsync(ct))
            {
                var row = new string?[reader.FieldCount];
                for (var i = 0; i < row.Length; i++)
                {
                    row[i] = SourceValues.Text(reader.GetValue(i));
                }

                rows.Add(row);
            }

            return new SourcePreview(columns, rows);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            throw _database.Classify(exception, opening: false);
        }
    }

    /// <summary>Streams the query's rows; the driver reads them off the wire as they are asked for, never all at once.</summary>
    public async IAsyncEnumerable<object?[]> ReadAsync(SyncQuery query, DateTimeOffset lastSyncTime, Action<IReadOnlyList<string>> columns, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var command = Command(query, lastSyncTime);
        DbDataReader reader;
        try
        {
            reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            throw _database.Classify(exception, opening: false);
        }

        await using (reader)
        {
            columns(Columns(reader));
            while (true)
            {
                var row = new object?[reader.FieldCount];
                try
                {
                    if (!await reader.ReadAsync(ct))
                    {
                        break;
                    }

                    for (var i = 0; i < row.Length; i++)
                    {
                        row[i] = await reader.IsDBNullAsync(i, ct) ? null : reader.GetValue(i);
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException || !ct.IsCancellationRequested)
                {
                    throw _database.Classify(exception, opening: false);
                }

                yield return row;
            }
        }
    }

    private DbCommand Command(SyncQuery query, DateTimeOffset lastSyncTime)
    {
        var command = CreateCommand(query.Sql);
        if (query.UsesLastSyncTime)
        {
            command.Parameters.Add(_database.LastSyncTimeParameter(lastSyncTime));
        }

        return command;
    }

    private static string[] Columns(DbDataReader reader)
    {
        var names = new string[reader.FieldCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = reader.GetName(i);
        }

        return names;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _transaction.DisposeAsync();
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException or IOException)
        {
            // A connection already lost has no transaction left to roll back.
        }

        await _connection.DisposeAsync();
    }
}

/// <summary>How a source's values become attribute text: numbers and times invariant, times in UTC ISO 8601.</summary>
public static class SourceValues
{
    public static string? Text(object? value) => value switch
    {
        null or DBNull => null,
        string text => text,
        bool flag => flag ? "true" : "false",
        DateTime time => (time.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(time, DateTimeKind.Utc) : time.ToUniversalTime())
            .ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        byte[] bytes => Convert.ToBase64String(bytes),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}
