using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Instances;

namespace PeopleAdmin.Core.People.Store.Postgres;

/// <summary>
/// Signals between the instances that share one PostgreSQL database: <c>pg_notify</c> on the channel
/// <see cref="Channel"/> (PostgreSQL delivers it to every listener when the sending transaction commits), and one
/// connection per instance that <c>LISTEN</c>s. A listener that loses its connection tells its handlers that everything
/// is stale, since what was sent meanwhile is lost, and listens again.
/// </summary>
internal sealed class PostgresSignals : InProcessSignals
{
    public const string Channel = "peopleadmin_signals";

    private static readonly TimeSpan ReconnectDelay = TimeSpan.FromSeconds(2);

    private readonly string _connectionString;
    private readonly string _instance = Guid.NewGuid().ToString("n");
    private readonly ILogger<PostgresSignals> _logger;
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public PostgresSignals(IDbContextFactory<PeopleAdminDbContext> factory, ILogger<PostgresSignals> logger)
    {
        using var db = factory.CreateDbContext();
        _connectionString = db.Database.GetConnectionString()!;
        _logger = logger;
    }

    /// <summary>Completes once the first <c>LISTEN</c> is in place.</summary>
    public Task Listening => _listening.Task;

    public override async Task SendAsync(string topic, string key, CancellationToken cancellationToken)
    {
        Deliver(topic, key);
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @message)", connection);
        command.Parameters.AddWithValue("channel", Channel);
        command.Parameters.AddWithValue("message", $"{_instance}|{topic}|{key}");
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Listens until <paramref name="stopping"/>; reconnects after a failure.</summary>
    public async Task ListenAsync(CancellationToken stopping)
    {
        var connected = false;
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(_connectionString) { Pooling = false, KeepAlive = 30 }.ConnectionString);
                connection.Notification += (_, e) => Received(e.Payload);
                await connection.OpenAsync(stopping);
                await using (var listen = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stopping);
                }

                if (connected)
                {
                    Deliver(null, null);
                }

                connected = true;
                _listening.TrySetResult();
                while (true)
                {
                    await connection.WaitAsync(stopping);
                }
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                _logger.LogWarning(exception, "Listening for other instances' changes failed; caches are dropped and the listener starts again in {Delay}", ReconnectDelay);
                Deliver(null, null);
                await Task.Delay(ReconnectDelay, stopping).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private void Received(string payload)
    {
        var parts = payload.Split('|', 3);
        // This instance's own handlers ran when it sent.
        if (parts.Length == 3 && !string.Equals(parts[0], _instance, StringComparison.Ordinal))
        {
            Deliver(parts[1], parts[2]);
        }
    }
}

/// <summary>Runs the listener for the app's life; the app starts serving once it listens (or after a few seconds without).</summary>
internal sealed class PostgresSignalsListener(PostgresSignals signals) : BackgroundService
{
    private static readonly TimeSpan StartWait = TimeSpan.FromSeconds(10);

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken);
        await Task.WhenAny(signals.Listening, Task.Delay(StartWait, cancellationToken));
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => signals.ListenAsync(stoppingToken);
}
