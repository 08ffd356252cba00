using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People.Audience;
using PeopleAdmin.Core.People.Store;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Benchmarks.StorageLayout;

/// <summary>
/// <c>storage-layout &lt;people&gt; build-rows|build-json|filters [folder]</c>: #21's storage question on SQLite. Each
/// build step migrates a fresh database in the folder (default <c>/tmp/storage-bench</c>), adds the JSON layout's
/// column and indexes for <c>build-json</c>, creates the people of one generated file in it with <see cref="LayoutFill"/>
/// and a segment of every 20th person, and prints the rate and CPU time. <c>filters</c> times each filter of the People
/// page on both kept databases: the first page of 50 (median of 5 after a warm-up) and the count (with its CPU time),
/// and fails when the two layouts answer different people.
/// </summary>
internal static class StorageLayoutMeasurement
{
    private const int BatchRows = 5_000;
    private const int PageRuns = 5;

    public static async Task RunAsync(long people, string step, string folder)
    {
        Directory.CreateDirectory(folder);
        var file = Path.Combine(folder, $"people-{people}.csv");
        if (!File.Exists(file))
        {
            LayoutPeople.WriteFile(file, people);
        }

        switch (step)
        {
            case "build-rows":
                await BuildAsync(folder, file, Layout.Rows);
                break;
            case "build-json":
                await BuildAsync(folder, file, Layout.Json);
                break;
            case "filters":
                await MeasureFiltersAsync(folder);
                break;
            default:
                throw new ArgumentException($"Unknown step \"{step}\": build-rows, build-json or filters.", nameof(step));
        }
    }

    public static IDbContextFactory<PeopleAdminDbContext> Factory(string path)
    {
        var options = new DbContextOptionsBuilder<PeopleAdminDbContext>();
        DataServiceCollectionExtensions.Configure(options, new DatabaseOptions(), $"Data Source={path}");
        return new PeopleAdminContextFactory(options.Options);
    }

    /// <summary>A migrated database with one workspace (and the JSON layout's column and indexes); answers the workspace.</summary>
    public static async Task<Workspace> CreateAsync(IDbContextFactory<PeopleAdminDbContext> factory, Layout layout)
    {
        await DatabaseMigrator.MigrateAsync(factory, CancellationToken.None);
        await using var db = await factory.CreateDbContextAsync();
        var workspace = new Workspace
        {
            Name = "Storage layout", SiteId = "storage-site", TrackApiKeyHash = "track", TrackApiKeyProtected = "track",
            AppApiKeyHash = "app", AppApiKeyProtected = "app", CreatedAt = DateTime.UtcNow,
        };
        db.Workspaces.Add(workspace);
        await db.SaveChangesAsync();
        if (layout == Layout.Json)
        {
            await db.Database.OpenConnectionAsync();
            JsonLayout.Apply((SqliteConnection)db.Database.GetDbConnection());
        }

        return workspace;
    }

    /// <summary>A segment of every <paramref name="every"/>th person by key, written straight into the benchmark's database; answers its id.</summary>
    public static int AddSegment(SqliteConnection connection, int workspaceId, int every)
    {
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO Segments (WorkspaceId, Name, Description, CreatedMs) VALUES ($w, $name, NULL, 0);
            INSERT INTO SegmentMemberships (SegmentId, PersonId, WorkspaceId, AddedMs)
                SELECT (SELECT Id FROM Segments WHERE WorkspaceId = $w AND Name = $name), Id, WorkspaceId, 0 FROM People WHERE WorkspaceId = $w AND Id % $every = 0;
            SELECT Id FROM Segments WHERE WorkspaceId = $w AND Name = $name;
            """;
        command.Parameters.AddWithValue("$w", workspaceId);
        command.Parameters.AddWithValue("$name", $"Every {every}th");
        command.Parameters.AddWithValue("$every", every);
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static async Task BuildAsync(string folder, string file, Layout layout)
    {
        var path = Path.Combine(folder, $"{layout.ToString().ToLowerInvariant()}.db");
        foreach (var old in new[] { path, path + "-wal", path + "-shm" })
        {
            File.Delete(old);
        }

        var factory = Factory(path);
        var workspace = await CreateAsync(factory, layout);
        await using var db = await factory.CreateDbContextAsync();
        await db.Database.OpenConnectionAsync();
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        var load = LoadAverage();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        long created;
        using (var fill = new LayoutFill(connection, layout, workspace))
        {
            created = fill.Fill(file, BatchRows);
        }

        var seconds = watch.Elapsed.TotalSeconds;
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        AddSegment(connection, workspace.Id, 20);
        using (var checkpoint = connection.CreateCommand())
        {
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            checkpoint.ExecuteNonQuery();
        }

        var line = $"| {layout} | {created:N0} | {seconds:N1} s | {created / seconds:N0} | {cpu:N1} s | {created / cpu:N0} | {new FileInfo(path).Length / 1_048_576:N0} MB | {load} → {LoadAverage()} |";
        Console.WriteLine("| layout | people | wall | people/s | CPU | people per CPU second | database file | load average before → after |");
        Console.WriteLine(line);
        await File.WriteAllTextAsync(Path.Combine(folder, $"{layout.ToString().ToLowerInvariant()}.fill.md"), line + Environment.NewLine);
    }

    /// <summary>The filters of the People page measured on both layouts, each operator alone and the two combinations.</summary>
    public static IReadOnlyList<(string Name, AudienceFilter Filter)> Filters(int segment)
    {
        var plan = new AttributeFilter("plan", AttributeOperator.Equals, "enterprise");
        return
        [
            ("plan equals enterprise (indexed in both)", plan),
            ("first_name equals Eve (no JSON index)", new AttributeFilter("first_name", AttributeOperator.Equals, "Eve")),
            ("plan does not equal free", new AttributeFilter("plan", AttributeOperator.NotEquals, "free")),
            ("company contains \"Company 4242,\"", new AttributeFilter("company", AttributeOperator.Contains, "Company 4242,")),
            ("renews_on exists", new AttributeFilter("renews_on", AttributeOperator.Exists)),
            ("renews_on does not exist", new AttributeFilter("renews_on", AttributeOperator.NotExists)),
            ("lifetime_value greater than 990", new AttributeFilter("lifetime_value", AttributeOperator.Greater, "990")),
            ("age less than 19", new AttributeFilter("age", AttributeOperator.Less, "19")),
            ("renews_on after 2027-05-01", new AttributeFilter("renews_on", AttributeOperator.After, "2027-05-01")),
            ("renews_on before 2025-02-01", new AttributeFilter("renews_on", AttributeOperator.Before, "2025-02-01")),
            ("renews_on within the next 30 days", new AttributeFilter("renews_on", AttributeOperator.WithinNext, "30")),
            ("renews_on within the last 30 days", new AttributeFilter("renews_on", AttributeOperator.WithinLast, "30")),
            ("email contains nobody (a person field)", new AttributeFilter("email", AttributeOperator.Contains, "nobody")),
            ("in segment (every 20th)", new InSegment(segment)),
            ("not in segment", new Not(new InSegment(segment))),
            ("all of: plan = enterprise, country = FR", new AllOf([plan, new AttributeFilter("country", AttributeOperator.Equals, "FR")])),
            ("any of: age < 19, (in segment and newsletter = true)", new AnyOf([new AttributeFilter("age", AttributeOperator.Less, "19"), new AllOf([new InSegment(segment), new AttributeFilter("newsletter", AttributeOperator.Equals, "true")])])),
        ];
    }

    /// <summary>The keys of the first page, as the People page asks for them (relative dates resolved at <paramref name="now"/>).</summary>
    public static List<long> Page(SqliteConnection connection, Layout layout, int workspaceId, AudienceFilter filter, DateTimeOffset now, int limit = 50)
    {
        filter = RelativeDates.Resolve(filter, now);
        var (sql, parameters) = layout == Layout.Rows ? SqliteAudienceSql.Page(workspaceId, filter, 0, limit) : JsonAudienceSql.Page(workspaceId, filter, 0, limit);
        using var command = Command(connection, sql, parameters);
        using var reader = command.ExecuteReader();
        var keys = new List<long>();
        while (reader.Read())
        {
            keys.Add(reader.GetInt64(0));
        }

        return keys;
    }

    /// <summary>The count, as <c>PeopleService.CountPeopleAsync</c> runs it on SQLite: which range attributes hold only numbers, then the count.</summary>
    public static long Count(SqliteConnection connection, Layout layout, int workspaceId, AudienceFilter filter, DateTimeOffset now)
    {
        filter = RelativeDates.Resolve(filter, now);
        var numberOnly = new HashSet<string>(StringComparer.Ordinal);
        var ranges = layout == Layout.Rows ? SqliteAudienceSql.RangeAttributes(filter) : JsonAudienceSql.RangeAttributes(filter);
        foreach (var name in ranges.Distinct(StringComparer.Ordinal))
        {
            using var check = Command(
                connection, layout == Layout.Rows ? SqliteAudienceSql.HoldsOnlyNumbers : JsonAudienceSql.HoldsOnlyNumbers(name), [new SqliteParameter("@w", workspaceId), new SqliteParameter("@name", name)]);
            if (Convert.ToBoolean(check.ExecuteScalar(), CultureInfo.InvariantCulture))
            {
                numberOnly.Add(name);
            }
        }

        var (sql, parameters) = layout == Layout.Rows ? SqliteAudienceSql.Count(workspaceId, filter, numberOnly) : JsonAudienceSql.Count(workspaceId, filter, numberOnly);
        using var command = Command(connection, sql, parameters);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static async Task MeasureFiltersAsync(string folder)
    {
        var now = DateTimeOffset.UtcNow;
        var databases = new Dictionary<Layout, (PeopleAdminDbContext Db, SqliteConnection Connection, int Workspace, int Segment)>();
        foreach (var layout in new[] { Layout.Rows, Layout.Json })
        {
            var path = Path.Combine(folder, $"{layout.ToString().ToLowerInvariant()}.db");
            if (!File.Exists(path))
            {
                throw new FileNotFoundException($"No {layout} database in {folder}: run the build-{layout.ToString().ToLowerInvariant()} step first.", path);
            }

            var db = await Factory(path).CreateDbContextAsync();
            await db.Database.OpenConnectionAsync();
            var workspace = await db.Workspaces.OrderBy(w => w.Id).Select(w => w.Id).FirstAsync();
            var segment = await db.Segments.Where(s => s.WorkspaceId == workspace && s.Name == "Every 20th").Select(s => s.Id).FirstAsync();
            databases[layout] = (db, (SqliteConnection)db.Database.GetDbConnection(), workspace, segment);
        }

        Console.WriteLine($"Measured {now:yyyy-MM-dd HH:mm} UTC; load average before: {LoadAverage()}");
        foreach (var fill in Directory.GetFiles(folder, "*.fill.md").Order(StringComparer.Ordinal))
        {
            Console.Write(await File.ReadAllTextAsync(fill));
        }

        Console.WriteLine();
        Console.WriteLine("| filter | matches | first page, rows | first page, JSON | count, rows (CPU) | count, JSON (CPU) |");
        Console.WriteLine("|---|---|---|---|---|---|");
        var segments = databases[Layout.Rows].Segment == databases[Layout.Json].Segment
            ? databases[Layout.Rows].Segment
            : throw new InvalidOperationException("The two databases' segments differ: build both from the same file.");
        foreach (var (name, filter) in Filters(segments))
        {
            var cells = new StringBuilder();
            var answers = new List<(List<long> Page, long Count)>();
            var counts = new StringBuilder();
            foreach (var layout in new[] { Layout.Rows, Layout.Json })
            {
                var (_, connection, workspace, _) = databases[layout];
                var page = Page(connection, layout, workspace, filter, now);
                var times = new List<double>();
                for (var run = 0; run < PageRuns; run++)
                {
                    var watch = Stopwatch.StartNew();
                    Page(connection, layout, workspace, filter, now);
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }

                times.Sort();
                cells.Append($" {times[PageRuns / 2]:N1} ms |");
                var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
                var countWatch = Stopwatch.StartNew();
                var count = Count(connection, layout, workspace, filter, now);
                counts.Append($" {countWatch.Elapsed.TotalMilliseconds:N0} ms ({(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalMilliseconds:N0} ms) |");
                answers.Add((page, count));
            }

            if (answers[0].Count != answers[1].Count || !answers[0].Page.SequenceEqual(answers[1].Page))
            {
                throw new InvalidOperationException($"The layouts answer \"{name}\" differently: {answers[0].Count:N0} and {answers[1].Count:N0} people.");
            }

            Console.WriteLine($"| {name} | {answers[0].Count:N0} |{cells}{counts}");
        }

        Console.WriteLine($"Load average after: {LoadAverage()}");
        foreach (var (db, _, _, _) in databases.Values)
        {
            await db.DisposeAsync();
        }
    }

    private static SqliteCommand Command(SqliteConnection connection, string sql, IEnumerable<SqliteParameter> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new SqliteParameter(parameter.ParameterName, parameter.Value));
        }

        return command;
    }

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(", ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
