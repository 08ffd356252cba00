using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;

namespace PeopleAdmin.Web.Tests.Apis;

/// <summary>The official Customer.io Node client (customerio-node, pinned in tests/PeopleAdmin.ClientCompat) against the real server.</summary>
public sealed class OfficialClientTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task TheOfficialNodeClientWorksByChangingOnlyItsBaseUrl()
    {
        await using var factory = CreateFactory();
        using var client = factory.CreateKestrelClient();
        var baseUrl = client.BaseAddress!.GetLeftPart(UriPartial.Authority);
        var folder = Path.Combine(RepositoryRoot(), "tests", "PeopleAdmin.ClientCompat");
        if (!Directory.Exists(Path.Combine(folder, "node_modules", "customerio-node")))
        {
            (await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], folder)).ExitCode.ShouldBe(0, "npm ci");
        }

        var (exitCode, output) = await RunAsync("node", ["compat.js", baseUrl, SiteId, TrackKey, AppKey], folder);

        exitCode.ShouldBe(0, output);
        output.ShouldNotContain("FAIL");
        var workspaceId = (await factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct)).Single().Id;
        var people = factory.Services.GetRequiredService<PeopleService>();
        var events = await people.GetActivityAsync(new ActivityQuery(workspaceId, null, [ActivityTypes.Event], 100, null), Ct);
        events.Items.Select(i => i.Name).ShouldContain("signed_up");
        events.Items.Select(i => i.Name).ShouldContain("visited");
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, IEnumerable<string> arguments, string folder)
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
        var stdout = process.StandardOutput.ReadToEndAsync(Ct);
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
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

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "PeopleAdmin.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("PeopleAdmin.sln was not found above " + AppContext.BaseDirectory);
    }
}
