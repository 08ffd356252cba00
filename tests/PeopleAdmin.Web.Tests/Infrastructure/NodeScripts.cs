using System.Diagnostics;

namespace PeopleAdmin.Web.Tests.Infrastructure;

/// <summary>Runs the Node.js checks kept under <c>tests/</c> (each folder pins its npm packages with a lock file).</summary>
internal static class NodeScripts
{
    /// <summary>The folder under <c>tests/</c>, its npm packages installed (test.sh installs them too; this covers a lone test run).</summary>
    public static async Task<string> FolderAsync(string name, string package, CancellationToken ct)
    {
        var folder = Path.Combine(RepositoryRoot(), "tests", name);
        if (!Directory.Exists(Path.Combine(folder, "node_modules", package)))
        {
            var (exitCode, output) = await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], folder, ct);
            exitCode.ShouldBe(0, "npm ci: " + output);
        }

        return folder;
    }

    public static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, string folder, CancellationToken ct)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PeopleAdmin.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("PeopleAdmin.sln was not found above " + AppContext.BaseDirectory);
    }
}
