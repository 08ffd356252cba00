using System.Data.Common;
using System.Net;
using System.Net.Sockets;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Tests.People;

namespace PeopleAdmin.Core.Tests.Data;

public sealed class DatabaseStartupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task AStartAgainstAnUnreachablePostgresServerSaysWhichAndKeepsTrying()
    {
        var port = PortNobodyListensOn();
        var factory = new PeopleAdminContextFactory(PeopleAdmin.Tests.PostgresDatabases.Options($"Host=127.0.0.1;Port={port};Database=peopleadmin;Username=peopleadmin;Timeout=2"));
        var log = new ErrorLog();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var logging = new StopAfter(log, entries: 3, stop);

        var start = DatabaseMigrator.MigrateWhenReachableAsync(factory, logging, stop.Token, firstDelay: TimeSpan.FromMilliseconds(1));

        await Should.ThrowAsync<OperationCanceledException>(start);
        log.Entries.Count.ShouldBe(3);
        log.Entries.ShouldAllBe(entry => entry.Contains($"The database server tcp://127.0.0.1:{port} is unreachable", StringComparison.Ordinal));
        log.Entries[0].ShouldContain("tries again in 00:00:00.0010000 (attempt 1)");
        log.Entries[2].ShouldContain("tries again in 00:00:00.0040000 (attempt 3)");
    }

    [Fact]
    public async Task ADatabaseThatAnswersAfterFailingIsMigratedOnTheNextAttempt()
    {
        var directory = Directory.CreateTempSubdirectory("peopleadmin-tests-");
        try
        {
            var options = new DbContextOptionsBuilder<PeopleAdminDbContext>();
            DataServiceCollectionExtensions.Configure(options, new DatabaseOptions(), $"Data Source={Path.Combine(directory.FullName, "test.db")}");
            options.AddInterceptors(new FailingOpens(times: 2));
            IDbContextFactory<PeopleAdminDbContext> factory = new PeopleAdminContextFactory(options.Options);
            var log = new ErrorLog();

            await DatabaseMigrator.MigrateWhenReachableAsync(factory, log, Ct, firstDelay: TimeSpan.FromMilliseconds(1));

            log.Entries.Count.ShouldBe(2);
            await using var db = await factory.CreateDbContextAsync(Ct);
            (await db.Database.GetPendingMigrationsAsync(Ct)).ShouldBeEmpty();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task AFailureThatWaitingCannotMendEndsTheStartAtOnce()
    {
        var directory = Directory.CreateTempSubdirectory("peopleadmin-tests-");
        try
        {
            var options = new DbContextOptionsBuilder<PeopleAdminDbContext>();
            DataServiceCollectionExtensions.Configure(options, new DatabaseOptions(), $"Data Source={Path.Combine(directory.FullName, "test.db")}");
            options.AddInterceptors(new FailingOpens(times: 1, transient: false));
            var log = new ErrorLog();

            var error = await Should.ThrowAsync<DbException>(DatabaseMigrator.MigrateWhenReachableAsync(new PeopleAdminContextFactory(options.Options), log, Ct));

            error.Message.ShouldBe("password authentication failed");
            log.Entries.ShouldBeEmpty();
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            directory.Delete(recursive: true);
        }
    }

    private static int PortNobodyListensOn()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Fails the first opens as a server still starting does (transient), or as a refused password (not).</summary>
    private sealed class FailingOpens(int times, bool transient = true) : DbConnectionInterceptor
    {
        private int _failures;

        public override ValueTask<InterceptionResult> ConnectionOpeningAsync(
            DbConnection connection, ConnectionEventData eventData, InterceptionResult result, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _failures) <= times
                ? throw (transient ? new OpenFailure("the database system is starting up", true) : new OpenFailure("password authentication failed", false))
                : ValueTask.FromResult(result);
    }

    private sealed class OpenFailure(string message, bool transient) : DbException(message)
    {
        public override bool IsTransient => transient;
    }

    /// <summary>Passes errors to the log and stops the start once it holds enough.</summary>
    private sealed class StopAfter(ErrorLog log, int entries, CancellationTokenSource stop) : Microsoft.Extensions.Logging.ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => log.IsEnabled(logLevel);

        public void Log<TState>(
            Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            log.Log(logLevel, eventId, state, exception, formatter);
            if (log.Entries.Count >= entries)
            {
                stop.Cancel();
            }
        }
    }
}
