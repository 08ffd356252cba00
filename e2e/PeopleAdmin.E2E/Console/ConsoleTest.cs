using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.People;
using PeopleAdmin.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace PeopleAdmin.E2E.Console;

/// <summary>
/// Base of the operator console's e2e tests: an app with the base's owner and known default-workspace credentials, other operators added through Identity, and people seeded through the identity
/// service or the Track API as an application would.
/// </summary>
public abstract class ConsoleTest(BrowserFixture browser) : BrowserTest(browser)
{
    protected const string SiteId = "e2esite0000000000001";
    protected const string TrackKey = "e2etrack000000000001";

    protected override IReadOnlyDictionary<string, string?> AppSettings => new Dictionary<string, string?>(base.AppSettings)
    {
        ["PeopleAdmin:DefaultWorkspace:SiteId"] = SiteId,
        ["PeopleAdmin:DefaultWorkspace:TrackApiKey"] = TrackKey,
    };

    protected AppServer Server => App ?? throw new InvalidOperationException("These tests start their own app.");

    /// <summary>Opens a console page and waits for its circuit, so that clicks reach the server.</summary>
    protected async Task OpenAsync(string path)
    {
        await Page.GotoAsync(path);
        await WaitForInteractiveAsync();
    }

    protected async Task AddOperatorAsync(string email, string role)
    {
        await using var scope = Server.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Operator>>();
        var account = new Operator { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTime.UtcNow };
        (await users.CreateAsync(account, OwnerPassword)).Succeeded.ShouldBeTrue();
        (await users.AddToRoleAsync(account, role)).Succeeded.ShouldBeTrue();
    }

    protected PeopleService People => Server.Services.GetRequiredService<PeopleService>();

    /// <summary>Identifies a person through the service, as an API call would; answers their cio_id.</summary>
    protected async Task<string> IdentifyAsync(int workspaceId, string reference, params (string Name, string Value)[] attributes)
    {
        var settings = await People.GetSettingsAsync(workspaceId, TestContext.Current.CancellationToken);
        var result = await People.ExecuteAsync(
            new OperationContext(workspaceId, Sources.Api),
            new IdentifyOperation(PersonReference.Classify(reference, settings!.Identifiers),
                attributes.ToDictionary(a => a.Name, a => AttributeValue.FromString(a.Value))),
            TestContext.Current.CancellationToken);
        result.Status.ShouldBe(OperationStatus.Applied);
        return result.CioId!;
    }

    protected async Task<int> DefaultWorkspaceIdAsync()
    {
        var workspaces = await Server.Services.GetRequiredService<PeopleAdmin.Core.Workspaces.WorkspaceService>().ListAsync(TestContext.Current.CancellationToken);
        return workspaces[0].Id;
    }

    /// <summary>A Track API client with Basic credentials, as Customer.io's libraries send them.</summary>
    protected HttpClient TrackClient(string siteId = SiteId, string key = TrackKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.ASCII.GetBytes($"{siteId}:{key}")));
        return client;
    }

    protected static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
