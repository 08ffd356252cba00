using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Web.Features.Operators;
using PeopleAdmin.Web.Tests.Infrastructure;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Web.Tests.Operators;

[BothStores]
public sealed class SignInTests
{
    private static readonly WebApplicationFactoryClientOptions NoRedirects = new() { AllowAutoRedirect = false };

    [Fact]
    public async Task AnUnauthenticatedVisitLeadsToSetupWhenNoOperatorExists()
    {
        await using var factory = new PeopleAdminFactory();
        using var client = factory.CreateClient(NoRedirects);

        var response = await client.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe("/setup");
    }

    [Fact]
    public async Task TheSetupPageSaysOperatorsAreAddedOnTheTeamPage()
    {
        await using var factory = new PeopleAdminFactory();
        using var client = factory.CreateClient(NoRedirects);

        var html = await client.GetStringAsync(new Uri("/setup", UriKind.Relative), TestContext.Current.CancellationToken);

        html.ShouldContain("adding other operators on the Team page");
    }

    [Fact]
    public async Task TheSignInPageLeadsToSetupWhenNoOperatorExists()
    {
        await using var factory = new PeopleAdminFactory();
        using var client = factory.CreateClient(NoRedirects);

        var response = await client.GetAsync(new Uri("/Account/Login", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/setup");
    }

    [Fact]
    public async Task AnUnauthenticatedVisitLeadsToSignInWhenAnOperatorExists()
    {
        await using var factory = new PeopleAdminFactory().WithOwner();
        using var client = factory.CreateClient(NoRedirects);

        var response = await client.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/Account/Login");
        response.Headers.Location.Query.ShouldContain("ReturnUrl=%2F");
    }

    [Fact]
    public async Task TheSetupFormCreatesTheOwnerSignsThemInAndRecordsIt()
    {
        await using var factory = new PeopleAdminFactory();
        using var client = factory.CreateClient(NoRedirects);
        var token = await StaticForms.AntiforgeryTokenAsync(client, "/setup");

        var response = await PostSetupAsync(client, token, "first@example.test");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/");
        var home = await client.GetAsync(new Uri("/", UriKind.Relative), TestContext.Current.CancellationToken);
        home.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await RolesOfAsync(factory, "first@example.test")).ShouldBe([OperatorRoles.Owner]);
        (await AuditActionsAsync(factory)).ShouldContain(AuditActions.Setup);
    }

    [Fact]
    public async Task SetupIsGoneOnceAnOwnerExists()
    {
        await using var factory = new PeopleAdminFactory().WithOwner();
        using var client = factory.CreateClient(NoRedirects);

        var response = await client.GetAsync(new Uri("/setup", UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.ShouldBe("/");
    }

    [Fact]
    public async Task ASetupFormPostedAfterAnOwnerExistsIsRefused()
    {
        await using var factory = new PeopleAdminFactory();
        using var late = factory.CreateClient(NoRedirects);
        var lateToken = await StaticForms.AntiforgeryTokenAsync(late, "/setup");
        using var first = factory.CreateClient(NoRedirects);
        await PostSetupAsync(first, await StaticForms.AntiforgeryTokenAsync(first, "/setup"), "first@example.test");

        var response = await PostSetupAsync(late, lateToken, "second@example.test");

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        response.Headers.Location!.AbsolutePath.ShouldBe("/");
        await using var db = await DbAsync(factory);
        (await db.Users.Select(u => u.Email).ToListAsync(TestContext.Current.CancellationToken)).ShouldBe(["first@example.test"]);
    }

    [Fact]
    public async Task ConfigurationCreatesTheOwnerHeadless()
    {
        await using var factory = new PeopleAdminFactory().WithOwner();
        using var client = factory.CreateClient(NoRedirects);

        var response = await StaticForms.SignInAsync(client, StaticForms.OwnerEmail, StaticForms.OwnerPassword);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        (await RolesOfAsync(factory, StaticForms.OwnerEmail)).ShouldBe([OperatorRoles.Owner]);
        (await AuditActionsAsync(factory)).ShouldBe([AuditActions.Setup, AuditActions.SignedIn]);
    }

    [Fact]
    public async Task AWrongPasswordIsRecordedAsAFailedSignIn()
    {
        await using var factory = new PeopleAdminFactory().WithOwner();
        using var client = factory.CreateClient(NoRedirects);

        var response = await StaticForms.SignInAsync(client, StaticForms.OwnerEmail, "not the password");

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken)).ShouldContain("The email or password is not right.");
        (await AuditActionsAsync(factory)).ShouldBe([AuditActions.Setup, AuditActions.SignInFailed]);
    }

    [Fact]
    public async Task FiveFailedSignInsLockTheAccountEvenAgainstTheRightPassword()
    {
        await using var factory = new PeopleAdminFactory().WithOwner();
        using var client = factory.CreateClient(NoRedirects);
        for (var attempt = 1; attempt < SignInRules.MaxFailedAttempts; attempt++)
        {
            (await StaticForms.SignInAsync(client, StaticForms.OwnerEmail, "not the password")).StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        var locking = await StaticForms.SignInAsync(client, StaticForms.OwnerEmail, "not the password");
        var withRightPassword = await StaticForms.SignInAsync(client, StaticForms.OwnerEmail, StaticForms.OwnerPassword);

        locking.StatusCode.ShouldBe(HttpStatusCode.OK);
        withRightPassword.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await AlertAsync(withRightPassword)).ShouldContain("The email or password is not right.");
        (await AuditActionsAsync(factory)).Count(a => a == AuditActions.LockedOut).ShouldBe(2);
    }

    [Fact]
    public async Task ALockedAccountAndAnUnknownEmailGetTheSameAnswer()
    {
        await using var factory = new PeopleAdminFactory().WithOwner();
        using var client = factory.CreateClient(NoRedirects);
        for (var attempt = 1; attempt <= SignInRules.MaxFailedAttempts; attempt++)
        {
            await StaticForms.SignInAsync(client, StaticForms.OwnerEmail, "not the password");
        }

        var locked = await StaticForms.SignInAsync(client, StaticForms.OwnerEmail, "not the password");
        var unknown = await StaticForms.SignInAsync(client, "nobody@example.test", "not the password");

        locked.StatusCode.ShouldBe(unknown.StatusCode);
        locked.Headers.Location.ShouldBe(unknown.Headers.Location);
        (await AlertAsync(locked)).ShouldBe(await AlertAsync(unknown));
    }

    [Fact]
    public async Task ParallelWrongPasswordsGetNoMoreThanTheAttemptLimit()
    {
        await using var factory = new PeopleAdminFactory().WithOwner();
        using var client = factory.CreateClient(NoRedirects);
        var token = await StaticForms.AntiforgeryTokenAsync(client, "/Account/Login");
        var guesses = Enumerable.Range(0, 3 * SignInRules.MaxFailedAttempts).Select(i => StaticForms.PostAsync(client, "/Account/Login", token, "login", new Dictionary<string, string>
        {
            ["Input.Email"] = StaticForms.OwnerEmail,
            ["Input.Password"] = $"wrong guess {i}",
        }));

        await Task.WhenAll(guesses);

        (await AuditActionsAsync(factory)).Count(a => a == AuditActions.SignInFailed).ShouldBe(SignInRules.MaxFailedAttempts - 1);
        var afterwards = await StaticForms.SignInAsync(client, StaticForms.OwnerEmail, StaticForms.OwnerPassword);
        afterwards.StatusCode.ShouldBe(HttpStatusCode.OK, "the account is locked: the right password is refused too");
    }

    [Theory]
    [InlineData("https://evil.example/steal")]
    [InlineData("//evil.example/steal")]
    [InlineData("/\\evil.example/steal")]
    public async Task AnOffSiteReturnUrlSignsInToTheHomePage(string returnUrl)
    {
        await using var factory = new PeopleAdminFactory().WithOwner();
        using var client = factory.CreateClient(NoRedirects);
        var url = "/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl);
        var token = await StaticForms.AntiforgeryTokenAsync(client, url);

        var response = await StaticForms.PostAsync(client, url, token, "login", new Dictionary<string, string>
        {
            ["Input.Email"] = StaticForms.OwnerEmail,
            ["Input.Password"] = StaticForms.OwnerPassword,
        });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var target = new Uri(client.BaseAddress!, response.Headers.Location!);
        target.Authority.ShouldBe(client.BaseAddress!.Authority);
        target.AbsolutePath.ShouldBe("/");
    }

    [Theory]
    [InlineData("/Account/Login", "login")]
    [InlineData("/setup", "setup")]
    [InlineData("/Account/Logout", "")]
    public async Task AFormPostWithoutAValidAntiforgeryTokenAnswers400(string url, string handler)
    {
        await using var factory = new PeopleAdminFactory().WithOwner();
        using var client = factory.CreateClient(NoRedirects);

        var missing = await StaticForms.PostAsync(client, url, "", handler, new Dictionary<string, string> { ["Input.Email"] = StaticForms.OwnerEmail });
        var forged = await StaticForms.PostAsync(client, url, "CfDJ8forged", handler, new Dictionary<string, string> { ["Input.Email"] = StaticForms.OwnerEmail });

        missing.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        forged.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task TheSignInCookieIsHttpOnlyLaxAndNotSecureOverPlainHttp()
    {
        await using var factory = new PeopleAdminFactory().WithOwner();
        using var client = factory.CreateClient(NoRedirects);

        var response = await StaticForms.SignInAsync(client, StaticForms.OwnerEmail, StaticForms.OwnerPassword);

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        cookie.ShouldContain("httponly", Case.Insensitive);
        cookie.ShouldContain("samesite=lax", Case.Insensitive);
        cookie.ShouldNotContain("secure;", Case.Insensitive);
        cookie.ShouldNotContain("expires=", Case.Insensitive);
    }

    [Fact]
    public async Task RememberMeMakesTheCookieOutliveTheBrowserSession()
    {
        await using var factory = new PeopleAdminFactory().WithOwner();
        using var client = factory.CreateClient(NoRedirects);
        var token = await StaticForms.AntiforgeryTokenAsync(client, "/Account/Login");

        var response = await StaticForms.PostAsync(client, "/Account/Login", token, "login", new Dictionary<string, string>
        {
            ["Input.Email"] = StaticForms.OwnerEmail,
            ["Input.Password"] = StaticForms.OwnerPassword,
            ["Input.RememberMe"] = "true",
        });

        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        cookie.ShouldContain("expires=", Case.Insensitive);
    }

    [Fact]
    public async Task BehindATrustedProxyTheSignInCookieIsSecureAndTheAuditNamesTheClient()
    {
        await using var factory = new PeopleAdminFactory().WithOwner().With("PeopleAdmin:ForwardedHeaders:Enabled", "true");
        using var kestrel = factory.CreateKestrelClient();
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = kestrel.BaseAddress };
        var token = await StaticForms.AntiforgeryTokenAsync(client, "/Account/Login");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/Account/Login", UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["_handler"] = "login",
                ["Input.Email"] = StaticForms.OwnerEmail,
                ["Input.Password"] = StaticForms.OwnerPassword,
            }),
        };
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-For", "203.0.113.7");

        var response = await client.SendAsync(request, TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith(".AspNetCore.Identity.Application=", StringComparison.Ordinal));
        cookie.ShouldContain("secure", Case.Insensitive);
        await using var db = await DbAsync(factory);
        var signIn = await db.AuditEntries.SingleAsync(a => a.Action == AuditActions.SignedIn, TestContext.Current.CancellationToken);
        signIn.RemoteAddress.ShouldBe("203.0.113.7");
    }

    [Theory]
    [InlineData("/api/v1/accounts/region")]
    [InlineData("/api/admin/v1/workspaces")]
    [InlineData("/v1/customers?email=a@example.test")]
    public async Task ApiPathsAnswer401WithJsonNotARedirect(string path)
    {
        await using var factory = new PeopleAdminFactory().WithOwner();
        using var client = factory.CreateClient(NoRedirects);

        var response = await client.GetAsync(new Uri(path, UriKind.Relative), TestContext.Current.CancellationToken);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
        response.Headers.Location.ShouldBeNull();
        response.Content.Headers.ContentType!.MediaType.ShouldBe("application/json");
    }

    [Theory]
    [InlineData(OperatorRoles.Viewer, Policies.CanViewPeople, true)]
    [InlineData(OperatorRoles.Viewer, Policies.CanEditPeople, false)]
    [InlineData(OperatorRoles.Viewer, Policies.CanManageSettings, false)]
    [InlineData(OperatorRoles.Viewer, Policies.CanManageOperators, false)]
    [InlineData(OperatorRoles.Editor, Policies.CanEditPeople, true)]
    [InlineData(OperatorRoles.Editor, Policies.CanManageSettings, false)]
    [InlineData(OperatorRoles.Admin, Policies.CanManageSettings, true)]
    [InlineData(OperatorRoles.Admin, Policies.CanManageOperators, true)]
    [InlineData(OperatorRoles.Owner, Policies.CanManageOperators, true)]
    [InlineData(OperatorRoles.Owner, Policies.CanViewPeople, true)]
    public async Task PoliciesAllowWhatEachRoleMayDo(string role, string policy, bool allowed)
    {
        await using var factory = new PeopleAdminFactory();
        var authorization = factory.Services.GetRequiredService<IAuthorizationService>();
        var principal = new ClaimsPrincipal(new ClaimsIdentity([new Claim(ClaimTypes.Name, "someone@example.test"), new Claim(ClaimTypes.Role, role)], "test"));

        var result = await authorization.AuthorizeAsync(principal, policy);

        result.Succeeded.ShouldBe(allowed);
    }

    [Fact]
    public async Task EveryRoleIsSeededOnStart()
    {
        await using var factory = new PeopleAdminFactory();
        await using var scope = factory.Services.CreateAsyncScope();
        var roles = scope.ServiceProvider.GetRequiredService<RoleManager<IdentityRole>>();

        var names = await roles.Roles.Select(r => r.Name).ToListAsync(TestContext.Current.CancellationToken);

        names.ShouldBe(OperatorRoles.All, ignoreOrder: true);
    }

    [Theory]
    [InlineData("", "/Account/Login")]
    [InlineData("people", "/people")]
    [InlineData("/\\evil.example", "/Account/Login")]
    [InlineData("//evil.example", "/evil.example")]
    public async Task SigningOutReturnsOnlyToAPageOfThisSite(string returnUrl, string expected)
    {
        await using var factory = new PeopleAdminFactory().WithOwner();
        using var client = factory.CreateClient(NoRedirects);
        await StaticForms.SignInAsync(client, StaticForms.OwnerEmail, StaticForms.OwnerPassword);
        var token = await StaticForms.AntiforgeryTokenAsync(client, "/Account/Manage/ChangePassword");

        var response = await StaticForms.PostAsync(client, "/Account/Logout", token, "", new Dictionary<string, string> { ["returnUrl"] = returnUrl });

        response.StatusCode.ShouldBe(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.ShouldBe(expected);
        (await AuditActionsAsync(factory)).ShouldContain(AuditActions.SignedOut);
    }

    private static async Task<string> AlertAsync(HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        var start = html.IndexOf("role=\"alert\"", StringComparison.Ordinal);
        start.ShouldBeGreaterThan(0, "the page shows an alert");
        return html[start..html.IndexOf("</", start, StringComparison.Ordinal)];
    }

    private static Task<HttpResponseMessage> PostSetupAsync(HttpClient client, string token, string email) =>
        StaticForms.PostAsync(client, "/setup", token, "setup", new Dictionary<string, string>
        {
            ["Input.Email"] = email,
            ["Input.Password"] = "a long enough password",
            ["Input.ConfirmPassword"] = "a long enough password",
        });

    internal static async Task<PeopleAdminDbContext> DbAsync(PeopleAdminFactory factory) =>
        await factory.Services.GetRequiredService<IDbContextFactory<PeopleAdminDbContext>>().CreateDbContextAsync(TestContext.Current.CancellationToken);

    internal static async Task<List<string>> AuditActionsAsync(PeopleAdminFactory factory)
    {
        await using var db = await DbAsync(factory);
        return await db.AuditEntries.OrderBy(a => a.Id).Select(a => a.Action).ToListAsync(TestContext.Current.CancellationToken);
    }

    internal static async Task<IList<string>> RolesOfAsync(PeopleAdminFactory factory, string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Operator>>();
        var account = await users.FindByEmailAsync(email);
        account.ShouldNotBeNull();
        return await users.GetRolesAsync(account);
    }
}
