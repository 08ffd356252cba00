using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;

namespace PeopleAdmin.Web.Tests.Demo;

/// <summary>
/// An acknowledged write survives the process dying right after: the seed-demo verb runs in a child process, which
/// is killed as soon as it prints that a chunk is committed; the reopened database must hold that chunk.
/// </summary>
public sealed partial class SeedDemoDurabilityTests
{
    [Fact]
    public async Task PeopleAcknowledgedAsCommittedSurviveTheProcessBeingKilledRightAfter()
    {
        var ct = TestContext.Current.CancellationToken;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "peopleadmin-durability", Guid.NewGuid().ToString("n"));
        Directory.CreateDirectory(dataDirectory);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(WebAppPath());
        foreach (var argument in new[] { "seed-demo", "--people", "1000000", "--chunk", "5000" })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PeopleAdmin__DataDirectory"] = dataDirectory;
        start.Environment["Logging__LogLevel__Default"] = "Warning";

        long acknowledged;
        using (var child = Process.Start(start)!)
        {
            acknowledged = await FirstCommittedCountAsync(child.StandardOutput, ct);
            child.Kill(entireProcessTree: true);
            await child.WaitForExitAsync(ct);
        }

        acknowledged.ShouldBeGreaterThan(0);
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(dataDirectory, "peopleadmin.db")};Pooling=False");
        await connection.OpenAsync(ct);
        (await ScalarAsync(connection, "PRAGMA integrity_check", ct)).ShouldBe("ok");
        var people = Convert.ToInt64(await ScalarAsync(connection, "SELECT COUNT(*) FROM People", ct), System.Globalization.CultureInfo.InvariantCulture);
        people.ShouldBeGreaterThanOrEqualTo(acknowledged);
        (await ScalarAsync(connection, $"SELECT COUNT(*) FROM People WHERE ExternalId IN ('user-1', 'user-{acknowledged}')", ct)).ShouldBe(2L);
        await connection.CloseAsync();
        Directory.Delete(dataDirectory, recursive: true);
    }

    private static async Task<long> FirstCommittedCountAsync(StreamReader output, CancellationToken ct)
    {
        while (await output.ReadLineAsync(ct) is { } line)
        {
            if (CommittedLine().Match(line) is { Success: true } match)
            {
                return long.Parse(match.Groups[1].Value.Replace(",", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException("seed-demo ended without reporting a committed chunk.");
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync(ct);
    }

    /// <summary>The web app's build output beside this test's, in the same configuration.</summary>
    private static string WebAppPath()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        var configuration = directory.Parent!.Name;
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PeopleAdmin.sln")))
        {
            directory = directory.Parent;
        }

        return Path.Combine(directory!.FullName, "src", "PeopleAdmin.Web", "bin", configuration, "net10.0", "PeopleAdmin.Web.dll");
    }

    [GeneratedRegex(@"^committed ([\d,]+) people")]
    private static partial Regex CommittedLine();
}
