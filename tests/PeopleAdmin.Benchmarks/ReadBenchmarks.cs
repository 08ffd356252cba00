using System.Globalization;
using BenchmarkDotNet.Attributes;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.People.Demo;

namespace PeopleAdmin.Benchmarks;

/// <summary>
/// Reads over 1,000,000 demo people (PEOPLEADMIN_BENCH_PEOPLE overrides the count), built once per run by the
/// generator's bulk path; the generator's rate is printed while it builds.
/// </summary>
public class ReadBenchmarks
{
    private const int PageSize = 50;

    // BenchmarkDotNet calls GlobalSetup once per benchmark case; the people are built once per process.
    private static readonly SemaphoreSlim Building = new(1, 1);
    private static BenchDatabase? _shared;

    private BenchDatabase _db = null!;
    private readonly List<string> _emails = [];
    private int _lookup;

    public static long People =>
        long.TryParse(Environment.GetEnvironmentVariable("PEOPLEADMIN_BENCH_PEOPLE"), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : 1_000_000;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        var demo = new DemoPeople();
        await Building.WaitAsync();
        try
        {
            if (_shared is null)
            {
                _shared = await BenchDatabase.CreateAsync();
                var done = await demo.GenerateAsync(_shared.Imports(), _shared.WorkspaceId, "benchmark", 1, People, 0, null, CancellationToken.None);
                Console.WriteLine($"// Generator: {done.People:N0} people in {done.Elapsed.TotalSeconds:N1} s = {done.PeoplePerSecond:N0} people/s");
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _shared.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        finally
        {
            Building.Release();
        }

        _db = _shared;
        var random = new Random(7);
        for (var i = 0; i < 1000; i++)
        {
            _emails.Add(demo.Person(random.NextInt64(1, People + 1)).Attributes[ReservedKeys.Email].Text!);
        }
    }

    [Benchmark]
    public async Task<int> LookupByEmail() =>
        (await _db.Service.FindPeopleByEmailAsync(_db.WorkspaceId, _emails[_lookup++ % _emails.Count], CancellationToken.None)).Count;

    [Benchmark]
    public Task<PeopleFilterPage> FilterEquals() => Filter(new AttributeFilter("plan", AttributeOperator.Equals, "enterprise"));

    [Benchmark]
    public Task<PeopleFilterPage> FilterNotEquals() => Filter(new AttributeFilter("plan", AttributeOperator.NotEquals, "free"));

    [Benchmark]
    public Task<PeopleFilterPage> FilterContains() => Filter(new AttributeFilter("company", AttributeOperator.Contains, "zulauf"));

    [Benchmark]
    public Task<PeopleFilterPage> FilterExists() => Filter(new AttributeFilter("newsletter", AttributeOperator.Exists));

    [Benchmark]
    public Task<PeopleFilterPage> FilterGreater() => Filter(new AttributeFilter("lifetime_value", AttributeOperator.Greater, "4990"));

    [Benchmark]
    public Task<PeopleFilterPage> FilterLess() => Filter(new AttributeFilter("age", AttributeOperator.Less, "19"));

    private Task<PeopleFilterPage> Filter(AttributeFilter filter) =>
        _db.Service.FilterPeopleAsync(_db.WorkspaceId, filter, null, PageSize, CancellationToken.None);
}
