using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Forms;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;

namespace PeopleAdmin.Web.Tests.Forms;

/// <summary>The hosted form action (<c>POST /forms/{site_id}/{form_id}</c>): a plain HTML form on any website, no credentials.</summary>
public sealed class HostedFormTests : IAsyncLifetime
{
    private const string Shop = "https://shop.example.com";

    private PeopleAdminFactory _factory = null!;
    private HttpClient _browser = null!;
    private int _workspaceId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _factory = CreateFactory().With("PeopleAdmin:Forms:SubmissionsPerMinutePerAddress", "4");
        _browser = _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        _workspaceId = (await _factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct)).Single().Id;
    }

    public async ValueTask DisposeAsync()
    {
        _browser.Dispose();
        await _factory.DisposeAsync();
    }

    private FormsService Forms => _factory.Services.GetRequiredService<FormsService>();

    private async Task CreateFormAsync(string? successUrl, params string[] allowedOrigins)
    {
        var context = new OperationContext(_workspaceId, Sources.Ui);
        var (id, error) = await Forms.CreateAsync(context, "Newsletter", "newsletter", Ct);
        error.ShouldBeNull();
        (await Forms.UpdateAsync(context, id!.Value, new FormChange("Newsletter", true, successUrl, []), Ct)).ShouldBeNull();
        var settings = await _factory.Services.GetRequiredService<PeopleService>().ExecuteAsync(
            new OperationContext(_workspaceId, Sources.Ui), new ChangeSettingsOperation(new SettingsPatch { AllowedOrigins = allowedOrigins }), Ct);
        settings.Status.ShouldBe(OperationStatus.Applied);
        await _factory.Services.GetRequiredService<WorkspaceDirectory>().InvalidateAsync(_workspaceId, Ct);
    }

    private Task<HttpResponseMessage> PostAsync(string? origin, params (string Name, string Value)[] fields) =>
        PostAsync($"/forms/{SiteId}/newsletter", origin, new FormUrlEncodedContent(fields.Select(f => KeyValuePair.Create(f.Name, f.Value))));

    private async Task<HttpResponseMessage> PostAsync(string path, string? origin, HttpContent content)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = content };
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        return await _browser.SendAsync(request, Ct);
    }

    private async Task<PersonDetails?> PersonAsync(string email) =>
        await _factory.Services.GetRequiredService<PeopleService>().GetPersonAsync(_workspaceId, PersonReference.ForEmail(email), Ct);

    [Fact]
    public async Task ASubmissionAddsThePersonAndRedirectsWith303ToTheSuccessUrlOfAnAllowedOrigin()
    {
        await CreateFormAsync($"{Shop}/thanks?from=form", Shop);

        using var response = await PostAsync(Shop, ("email", "ann@example.com"), ("first_name", "Ann"));

        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        response.Headers.Location!.ToString().ShouldBe($"{Shop}/thanks?from=form");
        (await PersonAsync("ann@example.com"))!.Attributes.Select(a => $"{a.Name}={a.Value}").ShouldBe(["first_name=Ann"]);
    }

    [Fact]
    public async Task ASuccessUrlOnAnOriginThatIsNotAllowedGetsTheThankYouPageInstead()
    {
        await CreateFormAsync("https://elsewhere.example.net/thanks", Shop);

        using var response = await PostAsync(Shop, ("email", "ann@example.com"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        response.Headers.Location.ShouldBeNull();
        response.Content.Headers.ContentType!.MediaType.ShouldBe("text/html");
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("<h1>Thank you</h1>");
        (await PersonAsync("ann@example.com")).ShouldNotBeNull();
    }

    [Fact]
    public async Task AMultipartBodyThatEndsTooEarlyGetsThe400PageAndSavesNothing()
    {
        await CreateFormAsync(null);
        using var content = new StringContent("email=ann%40example.com");
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=x");

        using var response = await PostAsync($"/forms/{SiteId}/newsletter", null, content);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldNotContain("Exception");
        (await PersonAsync("ann@example.com")).ShouldBeNull();
    }

    [Fact]
    public async Task WithNoSuccessUrlAMultipartSubmissionGetsTheThankYouPage()
    {
        await CreateFormAsync(null);
        using var content = new MultipartFormDataContent { { new StringContent("ann@example.com"), "email" }, { new StringContent("pro"), "plan" } };

        using var response = await PostAsync($"/forms/{SiteId}/newsletter", null, content);

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await PersonAsync("ann@example.com"))!.Attributes.Single().Value.ShouldBe("pro");
    }

    [Fact]
    public async Task APageOfAnOriginThatIsNotAllowedIsRefusedAndNothingIsSaved()
    {
        await CreateFormAsync($"{Shop}/thanks", Shop);

        using var response = await PostAsync("https://evil.example.org", ("email", "ann@example.com"));

        response.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("This website is not allowed to send this form.");
        (await PersonAsync("ann@example.com")).ShouldBeNull();
    }

    [Fact]
    public async Task AFilledHoneypotIsAnsweredAsASuccessAndSavesNothing()
    {
        await CreateFormAsync($"{Shop}/thanks", Shop);

        using var response = await PostAsync(Shop, ("email", "bot@example.com"), ("_gotcha", "http://spam.example"));

        response.StatusCode.ShouldBe(HttpStatusCode.SeeOther);
        (await PersonAsync("bot@example.com")).ShouldBeNull();
        (await Forms.ListAsync(_workspaceId, Ct)).Single().Submissions.ShouldBe(0);
    }

    [Fact]
    public async Task AnEmptyHoneypotIsWhatPeopleSendAndIsNotStored()
    {
        await CreateFormAsync(null);

        using var response = await PostAsync(Shop, ("email", "ann@example.com"), ("_gotcha", ""));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        (await PersonAsync("ann@example.com"))!.Attributes.ShouldBeEmpty();
    }

    [Fact]
    public async Task OneAddressOverItsRateLimitGets429WithRetryAfter()
    {
        await CreateFormAsync(null);
        for (var i = 0; i < 4; i++)
        {
            using var accepted = await PostAsync(null, ("email", $"p{i}@example.com"));
            accepted.StatusCode.ShouldBe(HttpStatusCode.OK);
        }

        using var refused = await PostAsync(null, ("email", "p5@example.com"));

        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter.ShouldNotBeNull();
        (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("Please wait a minute and try again.");
        (await PersonAsync("p5@example.com")).ShouldBeNull();
    }

    [Fact]
    public async Task AWorkspaceOverItsOwnBucketGets429FromAnyAddress()
    {
        await using var factory = CreateFactory().With("PeopleAdmin:Forms:SubmissionsPerMinutePerWorkspace", "1");
        var workspaceId = (await factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct)).Single().Id;
        await factory.Services.GetRequiredService<FormsService>().CreateAsync(new OperationContext(workspaceId, Sources.Ui), "Newsletter", null, Ct);
        using var browser = factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var path = new Uri($"/forms/{SiteId}/newsletter", UriKind.Relative);

        using var accepted = await browser.PostAsync(path, new FormUrlEncodedContent([KeyValuePair.Create("email", "a@example.com")]), Ct);
        using var refused = await browser.PostAsync(path, new FormUrlEncodedContent([KeyValuePair.Create("email", "b@example.com")]), Ct);

        accepted.StatusCode.ShouldBe(HttpStatusCode.OK);
        refused.StatusCode.ShouldBe(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter.ShouldNotBeNull();
        (await refused.Content.ReadAsStringAsync(Ct)).ShouldContain("This form is receiving many submissions right now.");
    }

    [Fact]
    public async Task AFormThatDoesNotExistIsA404PageAndIsNotRegistered()
    {
        using var unknownForm = await PostAsync($"/forms/{SiteId}/nope", null, new FormUrlEncodedContent([KeyValuePair.Create("email", "a@x.com")]));
        using var unknownSite = await PostAsync("/forms/no-such-site/nope", null, new FormUrlEncodedContent([KeyValuePair.Create("email", "a@x.com")]));

        unknownForm.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await unknownForm.Content.ReadAsStringAsync(Ct)).ShouldContain("<h1>Form not found</h1>");
        unknownSite.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        (await Forms.ListAsync(_workspaceId, Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ASubmissionWithoutAnIdentifierIsA400PageThatSaysWhy()
    {
        await CreateFormAsync(null);

        using var response = await PostAsync(null, ("name", "Ann"));

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("The form was sent without an email address (or the field that identifies you)");
    }

    [Fact]
    public async Task OpeningTheActionInABrowserIsA405PageNotTheSignInPage()
    {
        await CreateFormAsync(null);

        using var response = await _browser.GetAsync(new Uri($"/forms/{SiteId}/newsletter", UriKind.Relative), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        response.Content.Headers.Allow.ShouldBe(["POST"]);
        (await response.Content.ReadAsStringAsync(Ct)).ShouldContain("submissions (POST) only. Please use the form on the website.");
    }

    [Fact]
    public async Task ABodyThatIsNotAFormIsA415Page()
    {
        await CreateFormAsync(null);

        using var response = await PostAsync($"/forms/{SiteId}/newsletter", null, Json("""{"email": "a@x.com"}"""));

        response.StatusCode.ShouldBe(HttpStatusCode.UnsupportedMediaType);
        (await PersonAsync("a@x.com")).ShouldBeNull();
    }

    [Fact]
    public async Task AHostedSubmissionNamingSomeonesIdNeverAddsTheEmailToThem()
    {
        await CreateFormAsync(null);
        var people = _factory.Services.GetRequiredService<PeopleService>();
        await people.ExecuteAsync(new OperationContext(_workspaceId, Sources.Api), new IdentifyOperation(PersonReference.ForId("victim"), new Dictionary<string, AttributeValue>()), Ct);

        using var response = await PostAsync(null, ("id", "victim"), ("plan", "hijack"));
        using var withEmail = await PostAsync(null, ("id", "victim"), ("email", "attacker@example.com"));

        response.StatusCode.ShouldBe(HttpStatusCode.OK);
        withEmail.StatusCode.ShouldBe(HttpStatusCode.OK);
        var victim = await people.GetPersonAsync(_workspaceId, PersonReference.ForId("victim"), Ct);
        victim!.Email.ShouldBeNull();
        (await PersonAsync("attacker@example.com"))!.Id.ShouldBeNull();
    }
}
