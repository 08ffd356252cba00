using System.Net;
using System.Net.Http.Headers;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Team;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;

namespace PeopleAdmin.Web.Tests.Apis;

public sealed class PersonalTokenTests : IAsyncLifetime
{
    private PeopleAdminFactory _factory = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory = CreateFactory().WithOwner();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private PersonalTokens Tokens => _factory.Services.GetRequiredService<PersonalTokens>();

    [Fact]
    public async Task AViewersTokenReadsAndIsRefusedWith403OnEveryChange()
    {
        using var viewer = await ClientWithTokenAsync("viewer@example.test", OperatorRoles.Viewer);
        var id = await DefaultIdAsync();

        using var read = await viewer.GetAsync(new Uri($"/api/admin/v1/workspaces/{id}/settings", UriKind.Relative), Ct);
        using var settings = await viewer.PutAsync(new Uri($"/api/admin/v1/workspaces/{id}/settings", UriKind.Relative), Json("{\"rate_limit_per_second\": 5}"), Ct);
        using var created = await viewer.PostAsync(new Uri("/api/admin/v1/workspaces", UriKind.Relative), Json("{\"name\": \"Other\"}"), Ct);
        using var rotated = await viewer.PostAsync(new Uri($"/api/admin/v1/workspaces/{id}/credentials/rotate", UriKind.Relative), null, Ct);
        using var deleted = await viewer.DeleteAsync(new Uri($"/api/admin/v1/workspaces/{id}", UriKind.Relative), Ct);

        read.StatusCode.ShouldBe(HttpStatusCode.OK);
        foreach (var refused in new[] { settings, created, rotated, deleted })
        {
            refused.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
            var body = await refused.ReadJsonAsync();
            body.GetProperty("errors")[0].GetProperty("reason").GetString().ShouldBe("forbidden");
            body.GetProperty("meta").GetProperty("error").GetString()!.ShouldContain("Viewer");
        }

        var workspaces = await _factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct);
        workspaces.ShouldHaveSingleItem().Settings.RateLimitPerSecond.ShouldBeNull();
    }

    [Fact]
    public async Task AnAdminsTokenChangesSettingsAndTheAuditAndHistoryNameTheAdmin()
    {
        using var admin = await ClientWithTokenAsync("admin@example.test", OperatorRoles.Admin);
        var id = await DefaultIdAsync();

        using var response = await admin.PutAsync(new Uri($"/api/admin/v1/workspaces/{id}/settings", UriKind.Relative), Json("{\"rate_limit_per_second\": 5}"), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        await using var db = await Db();
        (await db.AuditEntries.SingleAsync(e => e.Action == AuditActions.SettingsChanged, Ct)).Actor.ShouldBe("admin@example.test");
        (await db.SettingsChanges.SingleAsync(Ct)).Actor.ShouldBe("admin@example.test");
    }

    [Fact]
    public async Task ATokenActsWithItsOperatorsCurrentRole()
    {
        var (client, account) = await ClientAndAccountAsync("admin@example.test", OperatorRoles.Admin);
        using (client)
        {
            await _factory.Services.GetRequiredService<TeamService>().ChangeRoleAsync(await OwnerActorAsync(), account.Id, OperatorRoles.Viewer, Ct);

            using var response = await client.PostAsync(new Uri("/api/admin/v1/workspaces", UriKind.Relative), Json("{\"name\": \"Other\"}"), Ct);

            response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        }
    }

    [Fact]
    public async Task ARevokedTokenIsRefusedAtOnce()
    {
        var (client, account) = await ClientAndAccountAsync("admin@example.test", OperatorRoles.Admin);
        using (client)
        {
            var token = (await Tokens.ListAsync(account.Id, Ct)).Single();
            (await client.GetAsync(new Uri("/api/admin/v1/workspaces", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

            (await Tokens.RevokeAsync(account.Id, token.Id, Ct)).ShouldNotBeNull();
            using var response = await client.GetAsync(new Uri("/api/admin/v1/workspaces", UriKind.Relative), Ct);

            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
            (await response.ReadJsonAsync()).GetProperty("meta").GetProperty("error").GetString()!.ShouldContain("revoked");
        }
    }

    [Fact]
    public async Task AnExpiredTokenIsRefused()
    {
        var (client, account) = await ClientAndAccountAsync("admin@example.test", OperatorRoles.Admin);
        using (client)
        {
            await using var db = await Db();
            await db.PersonalTokens.Where(t => t.OperatorId == account.Id)
                .ExecuteUpdateAsync(t => t.SetProperty(x => x.ExpiresAt, DateTime.UtcNow.AddSeconds(-1)), Ct);

            using var response = await client.GetAsync(new Uri("/api/admin/v1/workspaces", UriKind.Relative), Ct);

            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task ADeactivatedOperatorsTokenIsRefused()
    {
        var (client, account) = await ClientAndAccountAsync("admin@example.test", OperatorRoles.Admin);
        using (client)
        {
            (await _factory.Services.GetRequiredService<TeamService>().DeactivateAsync(await OwnerActorAsync(), account.Id, Ct)).Succeeded.ShouldBeTrue();

            using var response = await client.GetAsync(new Uri("/api/admin/v1/workspaces", UriKind.Relative), Ct);

            response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        }
    }

    [Fact]
    public async Task ATokenIsStoredAsAKeyedHashAndNeverInClear()
    {
        var account = await AddOperatorAsync("admin@example.test", OperatorRoles.Admin);

        var created = (await Tokens.CreateAsync(account.Id, "script", DateTime.UtcNow.AddDays(1), Ct)).Value!;

        await using var db = await Db();
        var stored = await db.PersonalTokens.AsNoTracking().SingleAsync(Ct);
        stored.SecretHash.ShouldBe(_factory.Services.GetRequiredService<CredentialHashKey>().Hash(created.Secret));
        stored.SecretHash.ShouldNotContain(created.Secret[PersonalTokens.SecretPrefix.Length..]);
        (await Tokens.ListAsync(account.Id, Ct)).ShouldHaveSingleItem().Name.ShouldBe("script");
    }

    [Theory]
    [InlineData("", 1, "name")]
    [InlineData("script", -1, "expires_at")]
    [InlineData("script", 400, "expires_at")]
    public async Task ATokenWithoutANameOrWithAnExpiryInThePastOrPastAYearIsRefused(string name, int days, string field)
    {
        var account = await AddOperatorAsync("admin@example.test", OperatorRoles.Admin);

        var result = await Tokens.CreateAsync(account.Id, name, DateTime.UtcNow.AddDays(days), Ct);

        result.Error!.Field.ShouldBe(field);
        (await Tokens.ListAsync(account.Id, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task TheTokensEndpointsCreateShowOnceListAndRevokeTheCallersOwnTokens()
    {
        using var client = await ClientWithTokenAsync("editor@example.test", OperatorRoles.Editor);
        var expires = DateTime.UtcNow.AddDays(30).ToString("O");

        using var created = await client.PostAsync(new Uri("/api/admin/v1/tokens", UriKind.Relative), Json($"{{\"name\": \"ci\", \"expires_at\": \"{expires}\"}}"), Ct);
        var body = await created.ReadJsonAsync();
        using var list = await client.GetAsync(new Uri("/api/admin/v1/tokens", UriKind.Relative), Ct);
        var listed = await list.ReadJsonAsync();
        using var revoked = await client.DeleteAsync(new Uri($"/api/admin/v1/tokens/{body.GetProperty("id").GetInt32()}", UriKind.Relative), Ct);
        using var again = await client.DeleteAsync(new Uri($"/api/admin/v1/tokens/{body.GetProperty("id").GetInt32()}", UriKind.Relative), Ct);

        created.StatusCode.ShouldBe(HttpStatusCode.Created);
        body.GetProperty("token").GetString()!.ShouldStartWith(PersonalTokens.SecretPrefix);
        listed.GetArrayLength().ShouldBe(2);
        listed.GetRawText().ShouldNotContain(body.GetProperty("token").GetString()!);
        listed.EnumerateArray().Count(t => t.TryGetProperty("token", out _)).ShouldBe(0);
        revoked.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        again.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        await using var db = await Db();
        (await db.AuditEntries.CountAsync(e => e.Action == AuditActions.TokenCreated || e.Action == AuditActions.TokenRevoked, Ct)).ShouldBe(2);
    }

    [Theory]
    [InlineData("{\"name\": \"ci\"}", "expires_at")]
    [InlineData("{\"name\": \"ci\", \"expires_at\": \"next week\"}", "expires_at")]
    [InlineData("{\"expires_at\": \"2030-01-01T00:00:00Z\"}", "name")]
    public async Task CreatingATokenWithBadInputAnswers400NamingTheField(string json, string field)
    {
        using var client = await ClientWithTokenAsync("editor@example.test", OperatorRoles.Editor);

        using var response = await client.PostAsync(new Uri("/api/admin/v1/tokens", UriKind.Relative), Json(json), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.ReadJsonAsync()).GetProperty("errors")[0].GetProperty("field").GetString().ShouldBe(field);
    }

    [Fact]
    public async Task TheBootstrapTokenKeepsWorkingButHasNoTokensOfItsOwn()
    {
        using var bootstrap = _factory.AdminClient();

        using var workspaces = await bootstrap.GetAsync(new Uri("/api/admin/v1/workspaces", UriKind.Relative), Ct);
        using var tokens = await bootstrap.GetAsync(new Uri("/api/admin/v1/tokens", UriKind.Relative), Ct);

        workspaces.StatusCode.ShouldBe(HttpStatusCode.OK);
        tokens.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await tokens.ReadJsonAsync()).GetProperty("meta").GetProperty("error").GetString()!.ShouldContain("belongs to no operator");
    }

    [Fact]
    public async Task ATokensLastUseIsRecorded()
    {
        var (client, account) = await ClientAndAccountAsync("viewer@example.test", OperatorRoles.Viewer);
        using (client)
        {
            (await client.GetAsync(new Uri("/api/admin/v1/workspaces", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

            (await Tokens.ListAsync(account.Id, Ct)).Single().LastUsedAt.ShouldNotBeNull();
        }
    }

    private async Task<HttpClient> ClientWithTokenAsync(string email, string role) => (await ClientAndAccountAsync(email, role)).Client;

    private async Task<(HttpClient Client, Operator Account)> ClientAndAccountAsync(string email, string role)
    {
        var account = await AddOperatorAsync(email, role);
        var created = await Tokens.CreateAsync(account.Id, "tests", DateTime.UtcNow.AddDays(7), Ct);
        var client = _factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", created.Value!.Secret);
        return (client, account);
    }

    private Task<Operator> AddOperatorAsync(string email, string role) => _factory.AddOperatorAsync(email, role);

    private Task<TeamActor> OwnerActorAsync() => _factory.ActorAsync(StaticForms.OwnerEmail);

    private async Task<int> DefaultIdAsync() => (await _factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct))[0].Id;

    private Task<PeopleAdminDbContext> Db() => _factory.Services.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>().CreateDbContextAsync(Ct);
}
