using System.Diagnostics;
using System.Globalization;
using System.Text;
using CsvHelper;
using nietras.SeparatedValues;
using PeopleAdmin.Core.Imports;

namespace PeopleAdmin.Benchmarks;

/// <summary>
/// The CSV import's measurements: the file of the benchmark (10 columns, ids <c>user-1</c> to <c>user-N</c>),
/// its parsing by Sep and by CsvHelper, and the engine in process on a file database, half of the rows updating people a
/// first import made.
/// </summary>
internal static class ImportMeasurement
{
    public const string Header = "id,email,first_name,last_name,plan,country,age,company,lifetime_value,newsletter";

    private static readonly string[] Plans = ["free", "pro", "team", "enterprise"];
    private static readonly string[] Countries = ["DE", "FR", "US", "GB", "JP", "BR", "IN", "NO"];
    private static readonly string[] Names = ["Ann", "Bob", "Chloé", "Dmitri", "Eve", "Fumiko", "Gustavo", "Hannah", "Ibrahim", "Jürgen"];

    /// <summary>Writes the benchmark's file: rows <paramref name="from"/> to <paramref name="to"/> with every <paramref name="step"/>th id; <paramref name="round"/> changes the values, so that a second import updates.</summary>
    public static void WriteFile(string path, long from, long to, long step, int round)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
        writer.WriteLine(Header);
        for (var n = from; n <= to; n += step)
        {
            var name = Names[n % Names.Length];
            writer.Write("user-");
            writer.Write(n.ToString(CultureInfo.InvariantCulture));
            writer.Write(",user-");
            writer.Write(n.ToString(CultureInfo.InvariantCulture));
            writer.Write("@example.com,");
            writer.Write(name);
            writer.Write(",Doe");
            writer.Write((n % 97).ToString(CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.Write(Plans[(n + round) % Plans.Length]);
            writer.Write(',');
            writer.Write(Countries[(n * 7) % Countries.Length]);
            writer.Write(',');
            writer.Write((18 + ((n + round) % 70)).ToString(CultureInfo.InvariantCulture));
            writer.Write(",\"Company ");
            writer.Write((n % 5000).ToString(CultureInfo.InvariantCulture));
            writer.Write(", Inc.\",");
            writer.Write(((n * 13 % 100_000) / 100.0 + round).ToString("0.00", CultureInfo.InvariantCulture));
            writer.Write(',');
            writer.WriteLine((n + round) % 2 == 0 ? "true" : "false");
        }
    }

    /// <summary><c>import-parse &lt;file&gt;</c>: every cell of the file read by Sep and by CsvHelper, as strings.</summary>
    public static void Parse(string path)
    {
        for (var round = 0; round < 3; round++)
        {
            var watch = Stopwatch.StartNew();
            long cells = 0;
            using (var reader = Sep.New(',').Reader(o => o with { HasHeader = false, Unescape = true }).FromFile(path))
            {
                foreach (var row in reader)
                {
                    for (var i = 0; i < row.ColCount; i++)
                    {
                        cells += row[i].ToString().Length > 0 ? 1 : 0;
                    }
                }
            }

            var sep = watch.Elapsed;
            watch.Restart();
            long helperCells = 0;
            using (var csv = CsvReader.FromFile(path, new CsvReaderOptions(), FileOptions.SequentialScan))
            {
                while (csv.Read())
                {
                    for (var i = 0; i < csv.FieldCount; i++)
                    {
                        helperCells += csv.GetString(i).Length > 0 ? 1 : 0;
                    }
                }
            }

            Console.WriteLine($"round {round}: Sep {sep.TotalMilliseconds:N0} ms, CsvHelper {watch.Elapsed.TotalMilliseconds:N0} ms ({cells:N0} and {helperCells:N0} non-empty cells)");
        }
    }

    /// <summary>
    /// <c>import-rate &lt;rows&gt; [batch rows]</c>: imports every second row of the file (the people), then the whole file
    /// (half updates, half new people), through <see cref="ImportService"/> on a file database; prints each import's rate
    /// and the process's peak working set.
    /// </summary>
    public static async Task RunAsync(long rows, int batchRows, bool allocations = false)
    {
        using var sampler = allocations ? new AllocationSampler() : null;
        await using var db = await BenchDatabase.CreateAsync();
        var first = Path.Combine(db.Directory, "first.csv");
        var whole = Path.Combine(db.Directory, "whole.csv");
        WriteFile(first, 2, rows, 2, 0);
        WriteFile(whole, 1, rows, 1, 1);
        var service = db.Imports(batchRows);
        foreach (var (label, file) in new[] { ("existing half", first), ("whole file (half updates)", whole) })
        {
            var watch = Stopwatch.StartNew();
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var (allocatedBefore, pausedBefore) = (GC.GetTotalAllocatedBytes(), GC.GetTotalPauseDuration());
            await using var content = File.OpenRead(file);
            var created = await service.CreateAsync(db.WorkspaceId, content, new ImportRequest(label, new ImportOptions(), "bench"), CancellationToken.None);
            var stored = watch.Elapsed;
            await service.RunAsync(created.Import!.Id, CancellationToken.None, new Progress<Import>(p =>
            {
                if (p.RowsCommitted % 100_000 < batchRows)
                {
                    Console.WriteLine($"  {p.RowsCommitted:N0} rows, {watch.Elapsed.TotalSeconds:N1} s, working set {Environment.WorkingSet / 1048576:N0} MB");
                }
            }));
            var import = (await service.GetAsync(db.WorkspaceId, created.Import.Id, CancellationToken.None))!;
            var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
            var (allocated, paused) = (GC.GetTotalAllocatedBytes() - allocatedBefore, GC.GetTotalPauseDuration() - pausedBefore);
            Console.WriteLine($"{label}: {import.RowsCommitted:N0} rows ({import.RowsCreated:N0} created, {import.RowsUpdated:N0} updated, {import.RowsFailed:N0} failed) " +
                $"in {watch.Elapsed.TotalSeconds:N1} s = {import.RowsCommitted / watch.Elapsed.TotalSeconds:N0} rows/s; {cpu.TotalSeconds:N1} s of CPU = {import.RowsCommitted / cpu.TotalSeconds:N0} rows per CPU second (storing and checking the file {stored.TotalSeconds:N1} s); " +
                $"{allocated / Math.Max(1, import.RowsCommitted):N0} bytes allocated per row, {paused.TotalSeconds:N1} s in GC pauses");
        }

        using var process = Process.GetCurrentProcess();
        Console.WriteLine($"peak working set {process.PeakWorkingSet64 / 1048576:N0} MB");
        sampler?.Print(25);
    }
}
