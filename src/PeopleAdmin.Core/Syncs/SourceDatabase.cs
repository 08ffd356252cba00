using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using MySqlConnector;
using Npgsql;

namespace PeopleAdmin.Core.Syncs;

/// <summary>Where a source failed, for Test connection and a failed run: <c>dns</c>, <c>connect</c>, <c>tls</c>,
/// <c>authentication</c>, <c>permission</c>, <c>database</c>, <c>query</c> or <c>connection_lost</c>.</summary>
public static class SourceStages
{
    public const string Dns = "dns";
    public const string Connect = "connect";
    public const string Tls = "tls";
    public const string Authentication = "authentication";
    public const string Permission = "permission";
    public const string Database = "database";
    public const string Query = "query";
    public const string ConnectionLost = "connection_lost";
}

/// <summary>A source database's failure, with the stage it happened at and a message that says what to do.</summary>
public sealed class SyncSourceException(string stage, string message, Exception? inner = null) : Exception(message, inner)
{
    public string Stage { get; } = stage;
}

/// <summary>A connection's settings with its password decrypted, on the way to the driver.</summary>
public sealed record SourceSettings(SyncSourceKind Kind, string Host, int Port, string Database, string User, string Password, SyncSslMode SslMode)
{
    public string Endpoint => $"{Host}:{Port.ToString(CultureInfo.InvariantCulture)}";
}

/// <summary>
/// A customer's PostgreSQL or MySQL/MariaDB database, through its own driver (Npgsql, MySqlConnector). Every query runs
/// in a read-only transaction with the session time zone UTC, whatever rights the database user has.
/// </summary>
public abstract class SourceDatabase(SourceSettings settings)
{
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    protected SourceSettings Settings { get; } = settings;

    public static SourceDatabase For(SourceSettings settings) => settings.Kind switch
    {
        SyncSourceKind.Postgres => new PostgresSource(settings),
        _ => new MySqlSource(settings),
    };

    /// <summary>Opens a connection and a read-only transaction on it; failures carry their stage.</summary>
    public async Task<SourceSession> OpenAsync(CancellationToken ct)
    {
        var connection = CreateConnection();
        try
        {
            await connection.OpenAsync(ct);
            var transaction = await BeginReadOnlyAsync(connection, ct);
            return new SourceSession(this, connection, transaction);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            await connection.DisposeAsync();
            throw Classify(exception, opening: true);
        }
    }

    /// <summary>
    /// Test connection: the name resolves, the port answers, then the driver signs in and runs a query in a read-only
    /// transaction. Each step has its own stage, so the operator learns which one to fix.
    /// </summary>
    /// <summary>Opens a session and runs a sync's query in it (<see cref="SourceSession.OpenRowsAsync"/>); the rows close the session with them.</summary>
    public async Task<SourceRows> OpenRowsAsync(SyncQuery query, DateTimeOffset lastSyncTime, People.IdentifierKind identifier, CancellationToken ct)
    {
        var session = await OpenAsync(ct);
        try
        {
            return await session.OpenRowsAsync(query, lastSyncTime, identifier, ct, ownSession: true);
        }
        catch
        {
            await session.DisposeAsync();
            throw;
        }
    }

    public async Task<SyncSourceException?> TestAsync(CancellationToken ct)
    {
        try
        {
            var address = await ResolveAsync(ct);
            await ProbeAsync(address, ct);
            await using var session = await OpenAsync(ct);
            await using var command = session.CreateCommand("select 1");
            await command.ExecuteScalarAsync(ct);
            return null;
        }
        catch (SyncSourceException failure)
        {
            return failure;
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            return Classify(exception, opening: false);
        }
    }

    private async Task<IPAddress> ResolveAsync(CancellationToken ct)
    {
        if (IPAddress.TryParse(Settings.Host, out var literal))
        {
            return literal;
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(ConnectTimeout);
            var addresses = await Dns.GetHostAddressesAsync(Settings.Host, timeout.Token);
            return addresses.FirstOrDefault() ?? throw new SocketException((int)SocketError.HostNotFound);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            throw new SyncSourceException(SourceStages.Dns, $"The host name {Settings.Host} does not resolve to an address ({exception.Message}): check its spelling, or use the server's IP address.", exception);
        }
    }

    private async Task ProbeAsync(IPAddress address, CancellationToken ct)
    {
        using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            await socket.ConnectAsync(address, Settings.Port, timeout.Token);
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionRefused)
        {
            throw new SyncSourceException(SourceStages.Connect, $"{Settings.Endpoint} refused the connection: no database listens on that port, or a firewall rejects it.", exception);
        }
        catch (SocketException exception)
        {
            throw new SyncSourceException(SourceStages.Connect, $"{Settings.Endpoint} cannot be reached ({exception.Message}): check the host, the port and the firewall.", exception);
        }
        catch (OperationCanceledException exception) when (!ct.IsCancellationRequested)
        {
            throw new SyncSourceException(SourceStages.Connect, $"{Settings.Endpoint} did not answer within {ConnectTimeout.TotalSeconds:0} seconds: check the host, the port and the firewall.", exception);
        }
    }

    internal abstract DbConnection CreateConnection();

    internal abstract Task<DbTransaction> BeginReadOnlyAsync(DbConnection connection, CancellationToken ct);

    internal abstract DbParameter LastSyncTimeParameter(DateTimeOffset value);

    /// <summary>Runs <paramref name="command"/> so that it reads at most <paramref name="limit"/> rows.</summary>
    internal abstract Task<DbDataReader> ExecuteLimitedAsync(SourceSession session, DbCommand command, int limit, CancellationToken ct);

    /// <summary>What went wrong, in the operator's terms; <paramref name="opening"/> while signing in, else while reading.</summary>
    internal SyncSourceException Classify(Exception exception, bool opening)
    {
        if (exception is SyncSourceException known)
        {
            return known;
        }

        var (stage, message) = Explain(exception) ?? FromChain(exception, opening);
        return new SyncSourceException(stage, message, exception);
    }

    private protected abstract (string Stage, string Message)? Explain(Exception exception);

    private (string Stage, string Message) FromChain(Exception exception, bool opening)
    {
        for (var inner = exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is AuthenticationException || inner.Message.Contains("SSL", StringComparison.Ordinal) || inner.Message.Contains("TLS", StringComparison.Ordinal))
            {
                return (SourceStages.Tls, $"TLS with {Settings.Endpoint} failed ({inner.Message}): check the SSL mode, and that the server's certificate is trusted by this machine.");
            }

            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode is SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData
                    ? (SourceStages.Dns, $"The host name {Settings.Host} does not resolve ({socket.Message}).")
                    : opening
                        ? (SourceStages.Connect, $"{Settings.Endpoint} cannot be reached ({socket.Message}).")
                        : (SourceStages.ConnectionLost, $"The connection to {Settings.Endpoint} was lost ({socket.Message}).");
            }

            if (inner is TimeoutException)
            {
                return (opening ? SourceStages.Connect : SourceStages.Query, $"{Settings.Endpoint} did not answer in time ({inner.Message}).");
            }

            if (inner is IOException or EndOfStreamException)
            {
                return (opening ? SourceStages.Connect : SourceStages.ConnectionLost, $"The connection to {Settings.Endpoint} was closed ({inner.Message}).");
            }
        }

        return (opening ? SourceStages.Connect : SourceStages.Query, exception.Message);
    }
}

internal sealed class PostgresSource(SourceSettings settings) : SourceDatabase(settings)
{
    internal override DbConnection CreateConnection() => new NpgsqlConnection(new NpgsqlConnectionStringBuilder
    {
        Host = Settings.Host,
        Port = Settings.Port,
        Database = Settings.Database,
        Username = Settings.User,
        Password = Settings.Password,
        SslMode = Settings.SslMode switch
        {
            SyncSslMode.Disable => SslMode.Disable,
            SyncSslMode.Require => SslMode.Require,
            SyncSslMode.VerifyCa => SslMode.VerifyCA,
            SyncSslMode.VerifyFull => SslMode.VerifyFull,
            _ => SslMode.Prefer,
        },
        Timeout = (int)ConnectTimeout.TotalSeconds,
        CommandTimeout = 0,
        Pooling = false,
        ApplicationName = "PeopleAdmin sync",
        Timezone = "UTC",
    }.ConnectionString);

    internal override async Task<DbTransaction> BeginReadOnlyAsync(DbConnection connection, CancellationToken ct)
    {
        var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, ct);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SET TRANSACTION READ ONLY; SET LOCAL TIME ZONE 'UTC'";
        await command.ExecuteNonQueryAsync(ct);
        return transaction;
    }

    internal override DbParameter LastSyncTimeParameter(DateTimeOffset value) =>
        new NpgsqlParameter(SyncQuery.ParameterName, NpgsqlTypes.NpgsqlDbType.TimestampTz) { Value = value.UtcDateTime };

    // A cursor computes only the rows fetched; the query's own ORDER BY and LIMIT still apply.
    internal override async Task<DbDataReader> ExecuteLimitedAsync(SourceSession session, DbCommand command, int limit, CancellationToken ct)
    {
        command.CommandText = $"DECLARE peopleadmin_preview NO SCROLL CURSOR FOR {command.CommandText}";
        await command.ExecuteNonQueryAsync(ct);
        await using var fetch = session.CreateCommand($"FETCH FORWARD {limit.ToString(CultureInfo.InvariantCulture)} FROM peopleadmin_preview");
        return await fetch.ExecuteReaderAsync(ct);
    }

    private protected override (string Stage, string Message)? Explain(Exception exception) => exception switch
    {
        PostgresException { SqlState: PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification } e =>
            (SourceStages.Authentication, $"PostgreSQL refused user {Settings.User}: {e.MessageText}. Check the user name and password, and pg_hba.conf."),
        PostgresException { SqlState: PostgresErrorCodes.InvalidCatalogName } e => (SourceStages.Database, $"{e.MessageText}: check the database name."),
        PostgresException { SqlState: PostgresErrorCodes.InsufficientPrivilege } e =>
            (SourceStages.Permission, $"User {Settings.User} lacks a permission: {e.MessageText}. Grant it CONNECT on the database and SELECT on what the query reads."),
        PostgresException { SqlState: PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.QueryCanceled } e =>
            (SourceStages.ConnectionLost, $"PostgreSQL ended the query: {e.MessageText}."),
        PostgresException e => (SourceStages.Query, $"PostgreSQL: {e.MessageText}{(e.Position > 0 ? $" (at character {e.Position})" : "")}."),
        _ => null,
    };
}

internal sealed class MySqlSource(SourceSettings settings) : SourceDatabase(settings)
{
    internal override DbConnection CreateConnection() => new MySqlConnection(new MySqlConnectionStringBuilder
    {
        Server = Settings.Host,
        Port = (uint)Settings.Port,
        Database = Settings.Database,
        UserID = Settings.User,
        Password = Settings.Password,
        SslMode = Settings.SslMode switch
        {
            SyncSslMode.Disable => MySqlSslMode.None,
            SyncSslMode.Require => MySqlSslMode.Required,
            SyncSslMode.VerifyCa => MySqlSslMode.VerifyCA,
            SyncSslMode.VerifyFull => MySqlSslMode.VerifyFull,
            _ => MySqlSslMode.Preferred,
        },
        ConnectionTimeout = (uint)ConnectTimeout.TotalSeconds,
        DefaultCommandTimeout = 0,
        Pooling = false,
        // The query's own @variables stay the server's; only @last_sync_time is a parameter.
        AllowUserVariables = true,
        ApplicationName = "PeopleAdmin sync",
    }.ConnectionString);

    internal override async Task<DbTransaction> BeginReadOnlyAsync(DbConnection connection, CancellationToken ct)
    {
        await using (var zone = connection.CreateCommand())
        {
            zone.CommandText = "SET SESSION time_zone = '+00:00'";
            await zone.ExecuteNonQueryAsync(ct);
        }

        return await ((MySqlConnection)connection).BeginTransactionAsync(IsolationLevel.RepeatableRead, isReadOnly: true, ct);
    }

    internal override DbParameter LastSyncTimeParameter(DateTimeOffset value) =>
        new MySqlParameter(SyncQuery.ParameterName, MySqlDbType.DateTime) { Value = value.UtcDateTime };

    internal override async Task<DbDataReader> ExecuteLimitedAsync(SourceSession session, DbCommand command, int limit, CancellationToken ct)
    {
        await using (var set = session.CreateCommand($"SET SESSION sql_select_limit = {limit.ToString(CultureInfo.InvariantCulture)}"))
        {
            await set.ExecuteNonQueryAsync(ct);
        }

        // The session ends with the preview, and the limit with it.
        return await command.ExecuteReaderAsync(ct);
    }

    private protected override (string Stage, string Message)? Explain(Exception exception) => exception switch
    {
        MySqlException { ErrorCode: MySqlErrorCode.AccessDenied } e =>
            (SourceStages.Authentication, $"MySQL refused user {Settings.User}: {e.Message} Check the user name, the password and the host the user may connect from."),
        MySqlException { ErrorCode: MySqlErrorCode.DatabaseAccessDenied or MySqlErrorCode.TableAccessDenied or MySqlErrorCode.ColumnAccessDenied } e =>
            (SourceStages.Permission, $"User {Settings.User} lacks a permission: {e.Message} Grant it SELECT on what the query reads."),
        MySqlException { ErrorCode: MySqlErrorCode.UnknownDatabase } e => (SourceStages.Database, $"{e.Message} Check the database name."),
        MySqlException { ErrorCode: MySqlErrorCode.UnableToConnectToHost } e when !e.Message.Contains("SSL", StringComparison.Ordinal) && e.InnerException is null or SocketException =>
            (SourceStages.Connect, $"{Settings.Endpoint} cannot be reached: {e.Message}"),
        MySqlException { ErrorCode: MySqlErrorCode.ParseError or MySqlErrorCode.BadFieldError or MySqlErrorCode.NoSuchTable } e =>
            (SourceStages.Query, $"MySQL: {e.Message}"),
        _ => null,
    };
}
