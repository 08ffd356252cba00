using System.Data;
using System.Data.Common;
using System.Globalization;
using PeopleAdmin.Core.Imports;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Core.Syncs;

/// <summary>A preview: the query's columns and its first rows, each value as the import would read it.</summary>
public sealed record SourcePreview(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string?>> Rows);

/// <summary>One connection to a source with a read-only transaction open on it; disposing rolls it back and closes.</summary>
public sealed class SourceSession : IAsyncDisposable, IDisposable
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

    /// <summary>Runs the query for a sync's run: its rows stream to the import engine as it reads them (<see cref="SourceRows"/>).</summary>
    public async Task<SourceRows> OpenRowsAsync(SyncQuery query, DateTimeOffset lastSyncTime, IdentifierKind identifier, CancellationToken ct, bool ownSession = false)
    {
        var command = Command(query, lastSyncTime);
        try
        {
            var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
            return new SourceRows(_database, command, reader, identifier, ownSession ? this : null, ct);
        }
        catch (Exception exception)
        {
            await command.DisposeAsync();
            if (exception is OperationCanceledException && ct.IsCancellationRequested)
            {
                throw;
            }

            throw _database.Classify(exception, opening: false);
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

    /// <summary>As <see cref="DisposeAsync"/>, for the import engine, which disposes its sources synchronously.</summary>
    public void Dispose()
    {
        try
        {
            _transaction.Dispose();
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException or IOException)
        {
            // A connection already lost has no transaction left to roll back.
        }

        _connection.Dispose();
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

/// <summary>
/// A query's rows as the import engine reads them: off the wire as the engine asks, never all held, each value as
/// attribute text with its column's type (<see cref="ImportRecord.Types"/>), rows numbered from 1. The identifier
/// columns take the names the engine knows (<c>id</c>, <c>email</c>) whatever their case in the query, as the sync's
/// rules match them. A failure of the source is a <see cref="SyncSourceException"/> that says what failed.
/// </summary>
public sealed class SourceRows : IImportSource
{
    private readonly SourceDatabase _database;
    private readonly DbCommand _command;
    private readonly DbDataReader _reader;
    private readonly AttributeType[] _types;
    private readonly SourceSession? _session;
    private readonly CancellationTokenRegistration _stopping;
    private long _read;
    private bool _ended;

    internal SourceRows(SourceDatabase database, DbCommand command, DbDataReader reader, IdentifierKind identifier, SourceSession? session, CancellationToken ct)
    {
        _database = database;
        _session = session;
        _command = command;
        _reader = reader;
        var columns = new string[reader.FieldCount];
        _types = new AttributeType[reader.FieldCount];
        for (var i = 0; i < columns.Length; i++)
        {
            var name = reader.GetName(i);
            columns[i] = SyncColumns.Role(name, identifier) switch
            {
                SyncColumns.ColumnRole.Identifier => SyncColumns.Name(identifier),
                SyncColumns.ColumnRole.OtherIdentifier => SyncColumns.Name(identifier == IdentifierKind.Id ? IdentifierKind.Email : IdentifierKind.Id),
                _ => name,
            };
            _types[i] = TypeOf(reader.GetFieldType(i));
        }

        Columns = columns;
        // The engine reads synchronously; a server that stops must not wait on a slow source's next row.
        _stopping = ct.Register(Cancel);
    }

    /// <summary>The query's column names, as the engine maps them.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>Rows read from the source so far (the engine may not have applied the last of them yet).</summary>
    public long RowsRead => Interlocked.Read(ref _read);

    /// <summary>Why reading stopped early, when the source failed (the engine words its own error around it).</summary>
    public SyncSourceException? Failure { get; private set; }

    public IEnumerable<ImportRecord> ReadRows()
    {
        while (Next() is { } cells)
        {
            yield return new ImportRecord(Interlocked.Increment(ref _read), cells) { Types = _types };
        }
    }

    private string[]? Next()
    {
        try
        {
            if (!_reader.Read())
            {
                _ended = true;
                return null;
            }

            var cells = new string[_types.Length];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = _reader.IsDBNull(i) ? "" : SourceValues.Text(_reader.GetValue(i)) ?? "";
            }

            return cells;
        }
        catch (Exception exception) when (exception is not SyncSourceException)
        {
            _ended = true;
            throw Failure = _database.Classify(exception, opening: false);
        }
    }

    private static AttributeType TypeOf(Type type) => Type.GetTypeCode(type) switch
    {
        TypeCode.Boolean => AttributeType.Boolean,
        TypeCode.Byte or TypeCode.SByte or TypeCode.Int16 or TypeCode.UInt16 or TypeCode.Int32 or TypeCode.UInt32 or TypeCode.Int64 or TypeCode.UInt64
            or TypeCode.Single or TypeCode.Double or TypeCode.Decimal => AttributeType.Number,
        _ => AttributeType.String,
    };

    private void Cancel()
    {
        try
        {
            _command.Cancel();
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException or IOException)
        {
            // The source is gone already: there is nothing left to stop.
        }
    }

    public void Dispose()
    {
        _stopping.Dispose();
        if (!_ended)
        {
            // The engine stopped early (a cancel, a failed batch): the rows left are not read off the wire only to be dropped.
            Cancel();
        }

        try
        {
            _reader.Dispose();
        }
        catch (Exception exception) when (exception is DbException or InvalidOperationException or IOException)
        {
            // A canceled or lost query has nothing left to read.
        }

        _command.Dispose();
        _session?.Dispose();
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
