using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Benchmarks;

/// <summary>
/// A database that <c>seed-demo</c> filled, opened for the audience measurements: the data folder's SQLite file, or the
/// PostgreSQL database <c>PEOPLEADMIN_BENCH_POSTGRES</c> names; migrated, with a writer and the identity service on it,
/// and its first workspace with the number of people in it.
/// </summary>
internal sealed class DemoFolder : IAsyncDisposable
{
    private const int PageRuns = 5;

    private readonly WriteQueue _writer;

    private DemoFolder(IDbContextFactory<PeopleAdminDbContext> factory, int workspaceId, long people)
    {
        Factory = factory;
        WorkspaceId = workspaceId;
        PeopleCount = people;
        _writer = new WriteQueue(factory, TimeProvider.System, new WriterOptions(), NullLogger<WriteQueue>.Instance);
        People = new PeopleService(_writer, factory, TimeProvider.System);
    }

    public IDbContextFactory<PeopleAdminDbContext> Factory { get; }

    public PeopleService People { get; }

    public int WorkspaceId { get; }

    public long PeopleCount { get; }

    public OperationContext Context => new(WorkspaceId, Sources.Api);

    public static async Task<DemoFolder> OpenAsync(string dataDirectory)
    {
        var options = new DbContextOptionsBuilder<PeopleAdminDbContext>();
        if (Environment.GetEnvironmentVariable(BenchDatabase.PostgresVariable) is { Length: > 0 } postgres)
        {
            DataServiceCollectionExtensions.Configure(options, new DatabaseOptions { Provider = DatabaseProviders.Postgres }, postgres);
        }
        else
        {
            DataServiceCollectionExtensions.Configure(options, new DatabaseOptions(), $"Data Source={Path.Combine(dataDirectory, "peopleadmin.db")}");
        }

        IDbContextFactory<PeopleAdminDbContext> factory = new PeopleAdminContextFactory(options.Options);
        await DatabaseMigrator.MigrateAsync(factory, CancellationToken.None);
        await using var db = await factory.CreateDbContextAsync();
        var workspace = await db.Workspaces.OrderBy(w => w.Id).Select(w => w.Id).FirstAsync();
        return new DemoFolder(factory, workspace, await db.People.CountAsync(p => p.WorkspaceId == workspace));
    }

    /// <summary>
    /// A Markdown table of each filter's first page of 50 (the median of five, after one to warm up) and its count with
    /// the count's CPU time, as the People page asks for them.
    /// </summary>
    public async Task MeasureFiltersAsync(IReadOnlyList<(string Name, AudienceFilter Filter)> filters)
    {
        Console.WriteLine("| filter | matches (count) | first page of 50, median of 5 | the 5 first pages' CPU time | count | count's CPU time |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var (name, filter) in filters)
        {
            await People.FilterPeopleAsync(WorkspaceId, filter, null, 50, CancellationToken.None);
            var times = new List<double>();
            var pagesCpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 0; i < PageRuns; i++)
            {
                var watch = Stopwatch.StartNew();
                await People.FilterPeopleAsync(WorkspaceId, filter, null, 50, CancellationToken.None);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            var pagesCpu = Process.GetCurrentProcess().TotalProcessorTime - pagesCpuBefore;
            times.Sort();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var countWatch = Stopwatch.StartNew();
            var count = await People.CountPeopleAsync(WorkspaceId, filter, CancellationToken.None);
            var countCpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            Console.WriteLine($"| {name} | {count:N0} | {times[PageRuns / 2]:N1} ms | {pagesCpu.TotalMilliseconds:N0} ms | {countWatch.Elapsed.TotalMilliseconds:N0} ms | {countCpu.TotalMilliseconds:N0} ms |");
        }
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public ValueTask DisposeAsync() => _writer.DisposeAsync();
}
