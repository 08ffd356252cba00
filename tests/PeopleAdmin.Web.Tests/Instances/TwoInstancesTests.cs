using System.Diagnostics;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Instances;
using PeopleAdmin.Core.LeadAds;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Tests;
using PeopleAdmin.Web.Features.LeadAds;
using PeopleAdmin.Web.Tests.Infrastructure;
using PeopleAdmin.Web.Tests.LeadAds;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;

namespace PeopleAdmin.Web.Tests.Instances;

/// <summary>
/// Two app instances of one deployment on one PostgreSQL database (and one data folder, as a shared volume would
/// give them): requests sent to both at once keep the identity rules, a change on one reaches the other's caches at
/// once, and the background work runs on one of them, taken over when that one dies.
/// </summary>
[BothStores]
public sealed class TwoInstancesTests : IAsyncLifetime
{
    private PeopleAdminFactory _first = null!;
    private PeopleAdminFactory? _second;
    private GraphStandIn _graph = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        Assert.SkipWhen(TestStores.Current != TestStore.Postgres, "Several instances share a PostgreSQL database; a SQLite file has one.");
        _graph = await GraphStandIn.StartAsync();
        _first = CreateFactory(TestStore.Postgres)
            .With("PeopleAdmin:FacebookLeadAds:GraphBaseUrl", _graph.BaseUrl)
            .With("PeopleAdmin:FacebookLeadAds:PollInterval", "00:00:00.200")
            .With("PeopleAdmin:Lease:Duration", "00:00:03");
    }

    public async ValueTask DisposeAsync()
    {
        if (_second is not null)
        {
            await _second.DisposeAsync();
        }

        if (_first is not null)
        {
            await _first.DisposeAsync();
            await _graph.DisposeAsync();
        }
    }

    /// <summary>The second instance, started after the first (which then holds the background lease).</summary>
    private PeopleAdminFactory Second => _second ??= _first.AnotherInstance();

    [Fact]
    public async Task ParallelIdentifiesOfOneNewPersonSentToBothInstancesCreateOnePerson()
    {
        using var first = _first.TrackClient();
        using var second = Second.TrackClient();
        const int people = 40;

        var responses = await Task.WhenAll(Enumerable.Range(0, people).SelectMany(i => new[]
        {
            first.PutAsync(new Uri($"/api/v1/customers/person-{i}", UriKind.Relative), Json($$"""{"email":"person{{i}}@example.com","via":"first"}"""), Ct),
            second.PutAsync(new Uri($"/api/v1/customers/person-{i}", UriKind.Relative), Json($$"""{"email":"person{{i}}@example.com","plan":"pro"}"""), Ct),
        }));

        responses.Select(r => r.StatusCode).Distinct().ShouldBe([HttpStatusCode.OK]);
        await using var db = await DbAsync();
        var stored = await db.People.AsNoTracking().ToListAsync(Ct);
        stored.Count.ShouldBe(people);
        stored.Select(p => p.ExternalId).Distinct().Count().ShouldBe(people);
        stored.Select(p => p.CioId).Distinct().Count().ShouldBe(people);
        stored.ShouldAllBe(p => p.Email == p.ExternalId!.Replace("person-", "person", StringComparison.Ordinal) + "@example.com");
        (await db.PersonAttributes.CountAsync(a => a.Name == "via" || a.Name == "plan", Ct)).ShouldBe(2 * people);
    }

    [Fact]
    public async Task TheLeadAndTheCustomerRaceAcrossInstancesConvergesOnOnePersonEach()
    {
        using var first = _first.TrackClient();
        using var second = Second.TrackClient();
        const int pairs = 24;

        // The lead (email) on one instance, the customer (id) on the other, the link (both) on either, all at once.
        var responses = await Task.WhenAll(Enumerable.Range(0, pairs).SelectMany(i => new[]
        {
            first.PutAsync(new Uri($"/api/v1/customers/lead{i}@example.com", UriKind.Relative), Json("""{"source":"form"}"""), Ct),
            second.PutAsync(new Uri($"/api/v1/customers/customer-{i}", UriKind.Relative), Json("""{"plan":"pro"}"""), Ct),
            (i % 2 == 0 ? first : second).PutAsync(new Uri($"/api/v1/customers/customer-{i}", UriKind.Relative), Json($$"""{"email":"lead{{i}}@example.com"}"""), Ct),
        }));

        responses.Select(r => r.StatusCode).Distinct().ShouldBe([HttpStatusCode.OK]);
        await using var db = await DbAsync();
        var stored = await db.People.AsNoTracking().ToListAsync(Ct);
        stored.Count.ShouldBe(pairs);
        stored.ShouldAllBe(p => p.ExternalId != null && p.Email == p.ExternalId.Replace("customer-", "lead", StringComparison.Ordinal) + "@example.com");
    }

    [Fact]
    public async Task AKeyRotatedOnOneInstanceStopsWorkingOnTheOtherAtOnce()
    {
        using var oldOnSecond = Second.TrackClient();
        (await oldOnSecond.GetAsync(new Uri("/api/v1/accounts/region", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
        var told = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Second.Services.GetRequiredService<IInstanceSignals>().Subscribe(InstanceTopics.Workspaces, _ => told.TrySetResult());
        using var admin = _first.AdminClient();
        var id = (await _first.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct)).Single().Id;

        using var rotated = await admin.PostAsync(new Uri($"/api/admin/v1/workspaces/{id}/credentials/rotate", UriKind.Relative), null, Ct);
        await told.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        rotated.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await oldOnSecond.GetAsync(new Uri("/api/v1/accounts/region", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        var keys = await rotated.ReadJsonAsync();
        using var newOnSecond = Second.TrackClient(SiteId, keys.GetProperty("track_api_key").GetString()!);
        (await newOnSecond.GetAsync(new Uri("/api/v1/accounts/region", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task BackgroundWorkRunsOnOneInstanceAndReadsEachLeadOnce()
    {
        const int leads = 12;
        var holder = Lease(_first).IsHeld ? _first : Second;
        var other = holder == _first ? Second : _first;
        for (var i = 0; i < leads; i++)
        {
            _graph.AddLead($"90000000000{i:D4}", "444", "555", ("email", $"lead{i}@example.com"));
        }

        // Both instances poll for due leads five times a second; the notification comes in on the one without the lease.
        await ConnectLeadAdsAsync(other);
        using var webhook = await ReceiveLeadsAsync(other, leads);
        await _graph.FirstRequest.WaitAsync(TimeSpan.FromMinutes(1), Ct);
        // The holder's background run holds its processor until it has applied what it read: this waits for it.
        await holder.Services.GetRequiredService<LeadProcessor>().ProcessDueAsync(Ct);

        webhook.StatusCode.ShouldBe(HttpStatusCode.OK);
        Lease(other).IsHeld.ShouldBeFalse();
        _graph.Requests.Count.ShouldBe(leads);
        await using var db = await DbAsync();
        (await db.ReceivedLeads.AsNoTracking().Select(l => l.State).ToListAsync(Ct)).ShouldAllBe(s => s == LeadState.Applied);
        (await db.People.CountAsync(Ct)).ShouldBe(leads);
    }

    [Fact]
    public async Task ARunnerKilledWithItsLeaseHasItTakenOverByTheOtherInstance()
    {
        var database = await PostgresDatabases.CreateAsync(Ct);
        await using var survivor = CreateFactory(TestStore.Postgres).OnDatabase(database).With("PeopleAdmin:Lease:Duration", "00:00:03");
        using var runner = await StartRunnerProcessAsync(survivor.DataDirectory, database);
        Lease(survivor).IsHeld.ShouldBeFalse();

        runner.Kill(entireProcessTree: true);
        await runner.WaitForExitAsync(Ct);
        await Lease(survivor).WaitUntilHeldAsync(Ct).WaitAsync(TimeSpan.FromMinutes(1), Ct);

        await using var db = await survivor.Services.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>().CreateDbContextAsync(Ct);
        (await db.Leases.AsNoTracking().SingleAsync(Ct)).Holder.ShouldBe(Lease(survivor).Holder);
    }

    private static BackgroundLease Lease(PeopleAdminFactory instance) => instance.Services.GetRequiredService<BackgroundLease>();

    private async Task<PeopleAdminDbContext> DbAsync() =>
        await _first.Services.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>().CreateDbContextAsync(Ct);

    /// <summary>An instance as a <c>dotnet</c> process of its own, answered once it holds the background lease.</summary>
    private static async Task<Process> StartRunnerProcessAsync(string dataDirectory, string database)
    {
        var start = new ProcessStartInfo("dotnet", [typeof(Program).Assembly.Location, "--urls", "http://127.0.0.1:0"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(typeof(Program).Assembly.Location)!,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment["PeopleAdmin__DataDirectory"] = dataDirectory;
        start.Environment["PeopleAdmin__Database__Provider"] = "Postgres";
        start.Environment["ConnectionStrings__PeopleAdmin"] = database;
        start.Environment["PeopleAdmin__Lease__Duration"] = "00:00:03";
        var process = Process.Start(start)!;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.Contains(": runs", StringComparison.Ordinal) == true)
            {
                held.TrySetResult();
            }
        };
        try
        {
            await held.Task.WaitAsync(TimeSpan.FromMinutes(2), Ct);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }

        return process;
    }

    private static async Task ConnectLeadAdsAsync(PeopleAdminFactory instance)
    {
        using var admin = instance.AdminClient();
        var id = (await instance.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct)).Single().Id;
        using var put = await admin.PutAsync(new Uri($"/api/admin/v1/workspaces/{id}/lead-ads", UriKind.Relative),
            Json("""{"app_secret": "s3cret", "verify_token": "v", "pages": [{"page_id": "123", "access_token": "EAAtoken"}]}"""), Ct);
        put.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    private static async Task<HttpResponseMessage> ReceiveLeadsAsync(PeopleAdminFactory instance, int leads)
    {
        var changes = string.Join(",", Enumerable.Range(0, leads).Select(i =>
            $$$"""{"field":"leadgen","value":{"ad_id":"555","form_id":"444","leadgen_id":"90000000000{{{i:D4}}}","created_time":1765015200,"page_id":"123"}}"""));
        var body = $$$"""{"object":"page","entry":[{"id":"123","time":1765015200,"changes":[{{{changes}}}]}]}""";
        using var client = instance.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/integrations/facebook/{SiteId}/webhook") { Content = Json(body) };
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("s3cret"u8, Encoding.UTF8.GetBytes(body))));
        return await client.SendAsync(request, Ct);
    }
}
