using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Web.Components.Account;
using PeopleAdmin.Web.Features.Team;
using PeopleAdmin.Web.Tests.Infrastructure;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Web.Tests.Team;

[BothStores]
public sealed class TeamServiceTests : IAsyncLifetime
{
    private const string Password = TestOperators.Password;
    private static readonly WebApplicationFactoryClientOptions NoRedirects = new() { AllowAutoRedirect = false };

    private PeopleAdminFactory _factory = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory = new PeopleAdminFactory().WithOwner();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();

    private TeamService Team => _factory.Services.GetRequiredService<TeamService>();

    [Fact]
    public async Task TheLastOwnerCanBeNeitherDemotedDeactivatedNorRemoved()
    {
        var owner = await ActorAsync(StaticForms.OwnerEmail);
        var other = await AddAsync("second-owner@example.test", OperatorRoles.Owner);
        (await Team.RemoveAsync(owner, other.Id, Ct)).Succeeded.ShouldBeTrue();

        var demoted = await Team.ChangeRoleAsync(owner, owner.Id, OperatorRoles.Admin, Ct);
        var admin = await ActorAsync((await AddAsync("admin@example.test", OperatorRoles.Admin)).Email!);
        var deactivated = await Team.DeactivateAsync(admin, owner.Id, Ct);
        var removed = await Team.RemoveAsync(admin, owner.Id, Ct);

        demoted.Message.ShouldContain("last Owner");
        deactivated.Succeeded.ShouldBeFalse();
        removed.Succeeded.ShouldBeFalse();
        (await RoleOfAsync(StaticForms.OwnerEmail)).ShouldBe(OperatorRoles.Owner);
        (await FindAsync(StaticForms.OwnerEmail))!.DeactivatedAt.ShouldBeNull();
    }

    [Fact]
    public async Task AnOwnerCanStepDownOnceAnotherOwnerExists()
    {
        var owner = await ActorAsync(StaticForms.OwnerEmail);
        await AddAsync("second-owner@example.test", OperatorRoles.Owner);

        var result = await Team.ChangeRoleAsync(owner, owner.Id, OperatorRoles.Admin, Ct);

        result.Succeeded.ShouldBeTrue(result.Message);
        (await RoleOfAsync(StaticForms.OwnerEmail)).ShouldBe(OperatorRoles.Admin);
    }

    [Fact]
    public async Task AnAdminCannotMakeAnyoneOwnerNorChangeAnOwner()
    {
        var admin = await ActorAsync((await AddAsync("admin@example.test", OperatorRoles.Admin)).Email!);
        var editor = await AddAsync("editor@example.test", OperatorRoles.Editor);
        var ownerId = (await FindAsync(StaticForms.OwnerEmail))!.Id;
        await AddAsync("second-owner@example.test", OperatorRoles.Owner);

        var added = await Team.AddAsync(admin, "new-owner@example.test", OperatorRoles.Owner, null, Ct);
        var raised = await Team.ChangeRoleAsync(admin, editor.Id, OperatorRoles.Owner, Ct);
        var demoted = await Team.ChangeRoleAsync(admin, ownerId, OperatorRoles.Viewer, Ct);

        added.Message.ShouldBe("Only an Owner can make someone an Owner.");
        raised.Message.ShouldBe("Only an Owner can make someone an Owner.");
        demoted.Message.ShouldBe("Only an Owner can change an Owner.");
        (await FindAsync("new-owner@example.test")).ShouldBeNull();
        (await RoleOfAsync("editor@example.test")).ShouldBe(OperatorRoles.Editor);
        (await RoleOfAsync(StaticForms.OwnerEmail)).ShouldBe(OperatorRoles.Owner);
    }

    [Theory]
    [InlineData(OperatorRoles.Editor)]
    [InlineData(OperatorRoles.Viewer)]
    public async Task AForgedCallFromAnOperatorWhoMayNotManageTheTeamChangesNothing(string role)
    {
        var forger = await ActorAsync((await AddAsync("forger@example.test", role)).Email!);
        var ownerId = (await FindAsync(StaticForms.OwnerEmail))!.Id;

        var results = new[]
        {
            await Team.AddAsync(forger, "accomplice@example.test", OperatorRoles.Admin, null, Ct),
            await Team.ChangeRoleAsync(forger, forger.Id, OperatorRoles.Owner, Ct),
            await Team.DeactivateAsync(forger, ownerId, Ct),
            await Team.ResetPasswordAsync(forger, ownerId, null, Ct),
            await Team.RemoveAsync(forger, ownerId, Ct),
        };

        results.ShouldAllBe(r => !r.Succeeded && r.Message == "Only Admins and Owners can manage operators.");
        (await FindAsync("accomplice@example.test")).ShouldBeNull();
        (await RoleOfAsync("forger@example.test")).ShouldBe(role);
        (await FindAsync(StaticForms.OwnerEmail))!.DeactivatedAt.ShouldBeNull();
    }

    [Fact]
    public async Task AnAddedOperatorGetsAOneTimePasswordShownOnceAndTheChangeIsRecorded()
    {
        var owner = await ActorAsync(StaticForms.OwnerEmail);

        var result = await Team.AddAsync(owner, "editor@example.test", "editor", null, Ct);

        result.Succeeded.ShouldBeTrue(result.Message);
        result.OneTimePassword!.Length.ShouldBe(20);
        var added = (await FindAsync("editor@example.test"))!;
        added.MustChangePassword.ShouldBeTrue();
        (await RoleOfAsync("editor@example.test")).ShouldBe(OperatorRoles.Editor);
        (await AuditAsync(AuditActions.OperatorAdded)).ShouldContain(e => e.Actor == StaticForms.OwnerEmail && e.Detail == "editor@example.test as Editor");
    }

    [Fact]
    public async Task APasswordBelowThePolicyIsRefusedAndAddsNobody()
    {
        var owner = await ActorAsync(StaticForms.OwnerEmail);

        var result = await Team.AddAsync(owner, "editor@example.test", OperatorRoles.Editor, "short", Ct);

        result.Succeeded.ShouldBeFalse();
        result.Message.ShouldContain("at least 12 characters");
        (await FindAsync("editor@example.test")).ShouldBeNull();
    }

    [Fact]
    public async Task DeactivatingAnOperatorEndsTheirOpenCircuitAtOnce()
    {
        var editor = await AddAsync("editor@example.test", OperatorRoles.Editor);
        await using var circuit = _factory.Services.CreateAsyncScope();
        var provider = (IdentityRevalidatingAuthenticationStateProvider)circuit.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        provider.SetAuthenticationState(Task.FromResult(new AuthenticationState(await PrincipalAsync(editor))));
        var changed = new TaskCompletionSource<AuthenticationState>();
        provider.AuthenticationStateChanged += async state => changed.TrySetResult(await state);

        var result = await Team.DeactivateAsync(await ActorAsync(StaticForms.OwnerEmail), editor.Id, Ct);

        result.Succeeded.ShouldBeTrue(result.Message);
        (await changed.Task.WaitAsync(Ct)).User.Identity!.IsAuthenticated.ShouldBeFalse();
    }

    [Fact]
    public async Task ANewRoleAppliesToAnOpenCircuitInPlace()
    {
        var editor = await AddAsync("editor@example.test", OperatorRoles.Editor);
        await using var circuit = _factory.Services.CreateAsyncScope();
        var provider = circuit.ServiceProvider.GetRequiredService<AuthenticationStateProvider>();
        ((IdentityRevalidatingAuthenticationStateProvider)provider).SetAuthenticationState(Task.FromResult(new AuthenticationState(await PrincipalAsync(editor))));

        await Team.ChangeRoleAsync(await ActorAsync(StaticForms.OwnerEmail), editor.Id, OperatorRoles.Viewer, Ct);

        var user = (await provider.GetAuthenticationStateAsync()).User;
        user.IsInRole(OperatorRoles.Viewer).ShouldBeTrue();
        user.IsInRole(OperatorRoles.Editor).ShouldBeFalse();
    }

    [Fact]
    public async Task ADeactivatedOperatorsCookieIsRefusedAndTheyCannotSignInAgain()
    {
        var editor = await AddAsync("editor@example.test", OperatorRoles.Editor);
        using var client = _factory.CreateClient(NoRedirects);
        (await StaticForms.SignInAsync(client, editor.Email!, Password)).StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await client.GetAsync(new Uri("/people", UriKind.Relative), Ct)).StatusCode.ShouldBe(HttpStatusCode.OK);

        await Team.DeactivateAsync(await ActorAsync(StaticForms.OwnerEmail), editor.Id, Ct);
        using var afterwards = await client.GetAsync(new Uri("/people", UriKind.Relative), Ct);
        using var again = _factory.CreateClient(NoRedirects);
        using var signIn = await StaticForms.SignInAsync(again, editor.Email!, Password);

        afterwards.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        afterwards.Headers.Location!.AbsolutePath.ShouldBe("/Account/Login");
        signIn.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await signIn.Content.ReadAsStringAsync(Ct)).ShouldContain("The email or password is not right.");
        (await AuditAsync(AuditActions.SignInFailed)).ShouldContain(e => e.Detail == "the account is deactivated");
    }

    [Fact]
    public async Task ADeactivatedOperatorsPasswordIsStillCheckedSoThatTheRefusalTakesAsLongAsAWrongPassword()
    {
        var hasher = new CountingHasher();
        await using var factory = _factory.WithWebHostBuilder(host => host.ConfigureTestServices(services => services.AddSingleton<IPasswordHasher<Operator>>(hasher)));
        var editor = await AddAsync("editor@example.test", OperatorRoles.Editor);
        await factory.Services.GetRequiredService<TeamService>().DeactivateAsync(await ActorAsync(StaticForms.OwnerEmail), editor.Id, Ct);
        using var client = factory.CreateClient(NoRedirects);
        hasher.Verifications = 0;

        using var refused = await StaticForms.SignInAsync(client, editor.Email!, Password);

        (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("The email or password is not right.");
        hasher.Verifications.ShouldBe(1);
    }

    [Fact]
    public async Task AOneTimePasswordLeadsToChoosingANewOneBeforeAnyOtherPage()
    {
        var reset = await Team.ResetPasswordAsync(await ActorAsync(StaticForms.OwnerEmail), (await AddAsync("editor@example.test", OperatorRoles.Editor)).Id, null, Ct);
        using var client = _factory.CreateClient(NoRedirects);

        using var signIn = await StaticForms.SignInAsync(client, "editor@example.test", reset.OneTimePassword!);
        using var people = await client.GetAsync(new Uri("/people", UriKind.Relative), Ct);
        using var changePage = await client.GetAsync(new Uri(OperatorExtensions.ChangePasswordPath, UriKind.Relative), Ct);

        signIn.Headers.Location!.OriginalString.ShouldEndWith("Account/Manage/ChangePassword");
        people.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        people.Headers.Location!.OriginalString.ShouldEndWith(OperatorExtensions.ChangePasswordPath);
        changePage.StatusCode.ShouldBe(HttpStatusCode.OK);
    }

    [Fact]
    public async Task ChoosingANewPasswordEndsTheOneTimePasswordsRestriction()
    {
        var reset = await Team.ResetPasswordAsync(await ActorAsync(StaticForms.OwnerEmail), (await AddAsync("editor@example.test", OperatorRoles.Editor)).Id, null, Ct);
        using var client = _factory.CreateClient(NoRedirects);
        await StaticForms.SignInAsync(client, "editor@example.test", reset.OneTimePassword!);
        var token = await StaticForms.AntiforgeryTokenAsync(client, OperatorExtensions.ChangePasswordPath);

        using var changed = await StaticForms.PostAsync(client, OperatorExtensions.ChangePasswordPath, token, "change-password", new Dictionary<string, string>
        {
            ["Input.OldPassword"] = reset.OneTimePassword!,
            ["Input.NewPassword"] = "my very own passphrase",
            ["Input.ConfirmPassword"] = "my very own passphrase",
        });
        using var people = await client.GetAsync(new Uri("/people", UriKind.Relative), Ct);

        changed.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        people.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await FindAsync("editor@example.test"))!.MustChangePassword.ShouldBeFalse();
    }

    [Fact]
    public async Task TheTeamListsEachOperatorsRoleStatusAndLastSignIn()
    {
        var editor = await AddAsync("editor@example.test", OperatorRoles.Editor);
        using var client = _factory.CreateClient(NoRedirects);
        await StaticForms.SignInAsync(client, editor.Email!, Password);
        await Team.DeactivateAsync(await ActorAsync(StaticForms.OwnerEmail), editor.Id, Ct);

        var members = await Team.ListAsync(Ct);

        var listed = members.Single(m => m.Email == "editor@example.test");
        listed.Role.ShouldBe(OperatorRoles.Editor);
        listed.IsDeactivated.ShouldBeTrue();
        listed.LastSignInAt.ShouldNotBeNull();
        members.Single(m => m.Email == StaticForms.OwnerEmail).LastSignInAt.ShouldBeNull();
    }

    [Fact]
    public async Task RemovingAnOperatorRemovesTheirTokensAndKeepsTheirAuditEntries()
    {
        var editor = await AddAsync("editor@example.test", OperatorRoles.Editor);
        var tokens = _factory.Services.GetRequiredService<PersonalTokens>();
        await tokens.CreateAsync(editor.Id, "script", DateTime.UtcNow.AddDays(1), Ct);
        await _factory.Services.GetRequiredService<AuditTrail>().RecordAsync(AuditActions.SignedIn, editor.Email, null, null, Ct);

        var result = await Team.RemoveAsync(await ActorAsync(StaticForms.OwnerEmail), editor.Id, Ct);

        result.Succeeded.ShouldBeTrue(result.Message);
        (await tokens.ListAsync(editor.Id, Ct)).ShouldBeEmpty();
        (await AuditAsync(AuditActions.SignedIn)).ShouldContain(e => e.Actor == "editor@example.test");
        (await AuditAsync(AuditActions.OperatorRemoved)).ShouldContain(e => e.Detail == "editor@example.test");
    }

    private Task<Operator> AddAsync(string email, string role) => _factory.AddOperatorAsync(email, role);

    private Task<Operator?> FindAsync(string email) => _factory.FindOperatorAsync(email);

    private Task<TeamActor> ActorAsync(string email) => _factory.ActorAsync(email);

    private async Task<string?> RoleOfAsync(string email)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Operator>>();
        return (await users.GetRolesAsync((await users.FindByEmailAsync(email))!)).SingleOrDefault();
    }

    private async Task<ClaimsPrincipal> PrincipalAsync(Operator account)
    {
        await using var scope = _factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Operator>>();
        return await scope.ServiceProvider.GetRequiredService<IUserClaimsPrincipalFactory<Operator>>().CreateAsync((await users.FindByIdAsync(account.Id))!);
    }

    private async Task<List<AuditEntry>> AuditAsync(string action)
    {
        await using var db = await _factory.Services.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>().CreateDbContextAsync(Ct);
        return await db.AuditEntries.Where(e => e.Action == action).ToListAsync(Ct);
    }

    private sealed class CountingHasher : IPasswordHasher<Operator>
    {
        private readonly PasswordHasher<Operator> _inner = new();

        public int Verifications { get; set; }

        public string HashPassword(Operator user, string password) => _inner.HashPassword(user, password);

        public PasswordVerificationResult VerifyHashedPassword(Operator user, string hashedPassword, string providedPassword)
        {
            Verifications++;
            return _inner.VerifyHashedPassword(user, hashedPassword, providedPassword);
        }
    }
}
