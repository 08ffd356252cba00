using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Core.Instances;

/// <summary>A row that one app instance holds until it expires: who runs the deployment's background work.</summary>
public sealed class Lease
{
    /// <summary>The one lease there is: the background work of the deployment.</summary>
    public const string Background = "background";

    public required string Name { get; set; }

    /// <summary>The holding instance (<see cref="BackgroundLease.Holder"/>); empty when nobody ever held it.</summary>
    public required string Holder { get; set; }

    /// <summary>Unix milliseconds after which another instance may take it.</summary>
    public long ExpiresMs { get; set; }
}

internal sealed class LeaseConfiguration : IEntityTypeConfiguration<Lease>
{
    public void Configure(EntityTypeBuilder<Lease> builder)
    {
        builder.HasKey(l => l.Name);
        builder.Property(l => l.Name).HasMaxLength(64);
        builder.Property(l => l.Holder).HasMaxLength(200);
        // The row exists from the migration on, so taking the lease is always one conditional update.
        builder.HasData(new Lease { Name = Lease.Background, Holder = "", ExpiresMs = 0 });
    }
}

/// <summary>How long the background lease lasts unrenewed, from <c>PeopleAdmin:Lease</c>.</summary>
public sealed class LeaseOptions
{
    public const string Section = "PeopleAdmin:Lease";

    /// <summary>How long an instance that stopped renewing (it died) keeps the lease; it renews at a third of it.</summary>
    public TimeSpan Duration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The database lease that makes the deployment's background work (lead fetches, sync scheduling and runs, resuming
/// imports and exports after a restart) run on one instance, whichever number of instances share the database. The
/// holder renews it at a third of <see cref="LeaseOptions.Duration"/>; an instance that dies stops renewing, and another
/// takes the lease once it has expired. Taking and renewing are one conditional update of the lease's row, so two
/// instances never both succeed.
/// </summary>
public sealed class BackgroundLease(IDbContextFactory<PeopleAdminDbContext> factory, IOptions<LeaseOptions> options, TimeProvider clock)
{
    private readonly object _gate = new();
    private TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>This instance, as the lease's row names it: the host's name and a number of this process's life.</summary>
    public string Holder { get; } = $"{Environment.MachineName[..Math.Min(100, Environment.MachineName.Length)]}/{Environment.ProcessId}/{Guid.NewGuid():n}";

    public TimeSpan Duration => options.Value.Duration;

    /// <summary>Whether this instance held the lease at its last attempt.</summary>
    public bool IsHeld => _held.Task.IsCompleted;

    /// <summary>Completes while this instance holds the lease; waits while another does.</summary>
    public Task WaitUntilHeldAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _held.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>Takes the lease when it is free or expired, or renews it when this instance holds it; answers whether it is held now.</summary>
    public async Task<bool> TryTakeAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
        var expires = now + (long)Duration.TotalMilliseconds;
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        var taken = await db.Leases
            .Where(l => l.Name == Lease.Background && (l.Holder == Holder || l.ExpiresMs <= now))
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.Holder, Holder).SetProperty(l => l.ExpiresMs, expires), cancellationToken);
        SetHeld(taken == 1);
        return taken == 1;
    }

    /// <summary>Gives the lease up at once (a clean stop), so that another instance need not wait for it to expire.</summary>
    public async Task ReleaseAsync(CancellationToken cancellationToken)
    {
        SetHeld(false);
        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        await db.Leases.Where(l => l.Name == Lease.Background && l.Holder == Holder)
            .ExecuteUpdateAsync(u => u.SetProperty(l => l.ExpiresMs, 0L), cancellationToken);
    }

    /// <summary>A renewal failed: whether the row still names this instance or not, it may expire before the next one.</summary>
    internal void Lost() => SetHeld(false);

    private void SetHeld(bool held)
    {
        lock (_gate)
        {
            if (held)
            {
                _held.TrySetResult();
            }
            else if (_held.Task.IsCompleted)
            {
                _held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
        }
    }
}

/// <summary>Takes and renews the background lease for the app's life, and gives it up on a clean stop.</summary>
internal sealed class BackgroundLeaseKeeper(BackgroundLease lease, TimeProvider clock, ILogger<BackgroundLeaseKeeper> logger) : BackgroundService
{
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // The first attempt before the other background services start, so that they know at once whether they run.
        await AttemptAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(lease.Duration / 3, clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            await AttemptAsync(stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (lease.IsHeld)
        {
            try
            {
                await lease.ReleaseAsync(cancellationToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                logger.LogWarning(exception, "The background lease could not be given up; another instance takes it when it expires");
            }
        }
    }

    private async Task AttemptAsync(CancellationToken cancellationToken)
    {
        var held = lease.IsHeld;
        try
        {
            await lease.TryTakeAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Unrenewed, the lease expires for everyone alike: this instance stops its background work until it holds it again.
            lease.Lost();
            logger.LogWarning(exception, "The background lease could not be renewed");
        }

        if (held != lease.IsHeld)
        {
            logger.LogInformation("Background work (imports, exports, syncs, lead fetches) on this instance ({Holder}): {State}", lease.Holder, lease.IsHeld ? "runs" : "waits for the lease");
        }
    }
}
