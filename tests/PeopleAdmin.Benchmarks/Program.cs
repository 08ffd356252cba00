using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using PeopleAdmin.Benchmarks;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.People.Demo;

// `audience <data folder> [export]`: the audience filters' first pages and counts and an export, over a folder seed-demo filled.
if (args is ["audience", var dataDirectory, ..])
{
    await AudienceMeasurement.RunAsync(dataDirectory, exportOnly: args is [_, _, "export"]);
    return;
}

// `object-audience <data folder> [objects]`: the audience by object's first pages and counts, over a folder seed-demo filled.
if (args is ["object-audience", var objectsDirectory, ..])
{
    await ObjectAudienceMeasurement.RunAsync(objectsDirectory, args is [_, _, var objects] ? int.Parse(objects, NumberStyles.None, CultureInfo.InvariantCulture) : 100_000);
    return;
}

// `import-file <rows> <path>`, `import-parse <path>`, `import-rate <rows> [batch rows]`: the CSV import's measurements.
if (args is ["import-file", var rowsText, var path])
{
    ImportMeasurement.WriteFile(path, 1, long.Parse(rowsText, NumberStyles.None, CultureInfo.InvariantCulture), 1, 1);
    return;
}

if (args is ["import-parse", var parsePath])
{
    ImportMeasurement.Parse(parsePath);
    return;
}

if (args is ["import-rate", var importRows, ..])
{
    await ImportMeasurement.RunAsync(
        long.Parse(importRows, NumberStyles.None, CultureInfo.InvariantCulture),
        args.Length > 2 && args[2] != "allocations" ? int.Parse(args[2], NumberStyles.None, CultureInfo.InvariantCulture) : 5_000,
        args[^1] == "allocations");
    return;
}

// `storage-layout <people> build-rows|build-json|filters [folder]`: #21's storage question, attribute rows against one JSON document per person.
if (args is ["storage-layout", var layoutPeople, var layoutStep, ..])
{
    await PeopleAdmin.Benchmarks.StorageLayout.StorageLayoutMeasurement.RunAsync(
        long.Parse(layoutPeople, NumberStyles.None, CultureInfo.InvariantCulture), layoutStep, args.Length > 3 ? args[3] : "/tmp/storage-bench");
    return;
}

// `bulk [people] [deleted]`: a bulk segment add of everyone and a bulk delete of the first ones, as the People page runs them.
if (args is ["bulk", ..])
{
    await BulkActionMeasurement.RunAsync(
        args.Length > 1 ? long.Parse(args[1], NumberStyles.None, CultureInfo.InvariantCulture) : 100_000,
        args.Length > 2 ? int.Parse(args[2], NumberStyles.None, CultureInfo.InvariantCulture) : 10_000);
    return;
}

// `seed-rate <people> [Normal|Full]`: the generator alone, with a line per chunk (quicker than the 1,000,000-person setup).
if (args is ["seed-rate", var countText, ..])
{
    var count = long.Parse(countText, NumberStyles.None, CultureInfo.InvariantCulture);
    await using var db = await BenchDatabase.CreateAsync(args.Length > 2 ? args[2] : "Normal");
    var watch = Stopwatch.StartNew();
    var demo = new DemoPeople();
    for (var i = 1; i <= Math.Min(count, 20_000); i++)
    {
        demo.Person(i);
    }

    Console.WriteLine($"making {Math.Min(count, 20_000):N0} demo identifies alone: {watch.Elapsed.TotalMilliseconds:N0} ms");
    var progress = new Progress<DemoProgress>(p => Console.WriteLine($"{p.People:N0} people in {p.Elapsed.TotalSeconds:N1} s ({p.PeoplePerSecond:N0}/s)"));
    var done = await demo.GenerateAsync(db.Imports(), db.WorkspaceId, "benchmark", 1, count, 0, progress, CancellationToken.None, chunk: 10_000);
    Console.WriteLine($"Generator: {done.People:N0} people in {done.Elapsed.TotalSeconds:N1} s = {done.PeoplePerSecond:N0} people/s");
    return;
}

// `identify-rate <count> <callers> [Normal|Full] [create|update]`: identifies from that many concurrent callers, timed in
// process, in two rounds: creating people (an email and one attribute each), or updating five attributes of 1,000 people.
if (args is ["identify-rate", var totalText, var callersText, ..])
{
    var total = int.Parse(totalText, NumberStyles.None, CultureInfo.InvariantCulture);
    var callers = int.Parse(callersText, NumberStyles.None, CultureInfo.InvariantCulture);
    var update = args.Length > 4 && args[4] == "update";
    await using var db = await BenchDatabase.CreateAsync(args.Length > 3 ? args[3] : "Normal");
    if (update)
    {
        for (var i = 0; i < 1000; i++)
        {
            await db.RunAsync(BenchDatabase.Identify($"person-{i}", (ReservedKeys.Email, AttributeValue.FromString($"person-{i}@example.com"))));
        }
    }

    for (var round = 0; round < 2; round++)
    {
        var next = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, callers).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) <= total)
            {
                await db.RunAsync(update
                    ? BenchDatabase.Identify(
                        $"person-{n % 1000}",
                        ("plan", AttributeValue.FromString($"plan-{round}-{n}")),
                        ("age", AttributeValue.FromNumber(n % 90)),
                        ("country", AttributeValue.FromString(n % 2 == 0 ? "DE" : "FR")),
                        ("score", AttributeValue.FromNumber(n)),
                        ("trial", AttributeValue.FromBoolean(n % 2 == 0)))
                    : BenchDatabase.Identify(
                        $"r{round}-{n}",
                        (ReservedKeys.Email, AttributeValue.FromString($"r{round}-{n}@example.com")),
                        ("plan", AttributeValue.FromString("pro"))));
            }
        }));
        Console.WriteLine($"round {round}: {total:N0} identifies {(update ? "updating five attributes" : "creating people")} from {callers} callers in {watch.Elapsed.TotalMilliseconds:N0} ms = {total / watch.Elapsed.TotalSeconds:N0}/s");
    }

    return;
}

// A short in-process job: this machine has 2 cores shared by several builds; a full default job would take hours.
// The 1,000,000-person setup runs inside the benchmark process, so the in-process timeout must allow for it.
var job = Job.Default.WithToolchain(new InProcessEmitToolchain(TimeSpan.FromHours(2), logOutput: true)).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3);
BenchmarkSwitcher.FromAssembly(typeof(BenchDatabase).Assembly).Run(args, DefaultConfig.Instance.AddJob(job.AsDefault()));
