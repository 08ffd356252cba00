using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Forms;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Tests.Infrastructure;
using static PeopleAdmin.Web.Tests.Apis.ApiTestHost;
using PeopleAdmin.Tests;

namespace PeopleAdmin.Web.Tests.Forms;

/// <summary>The Forms API (<c>POST /api/v1/forms/{form_id}/submit</c>, Track credentials) over HTTP.</summary>
[BothStores]
public sealed class FormsApiTests : IAsyncLifetime
{
    private PeopleAdminFactory _factory = null!;
    private HttpClient _track = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask InitializeAsync()
    {
        _factory = CreateFactory();
        _track = _factory.TrackClient();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        _track.Dispose();
        await _factory.DisposeAsync();
    }

    private Task<HttpResponseMessage> SubmitAsync(string formId, string json) =>
        _track.PostAsync(new Uri($"/api/v1/forms/{formId}/submit", UriKind.Relative), Json(json), Ct);

    private async Task<int> WorkspaceIdAsync() =>
        (await _factory.Services.GetRequiredService<WorkspaceService>().ListAsync(Ct)).Single().Id;

    [Fact]
    public async Task ASubmissionAnswers204RegistersTheFormAndAddsThePerson()
    {
        using var response = await SubmitAsync("newsletter", """{"data": {"email": "ann@example.com", "first_name": "Ann", "form_name": "Newsletter"}}""");

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var workspaceId = await WorkspaceIdAsync();
        var form = (await _factory.Services.GetRequiredService<FormsService>().ListAsync(workspaceId, Ct)).Single();
        (form.FormId, form.Submissions).ShouldBe(("newsletter", 1L));
        var person = await _factory.Services.GetRequiredService<PeopleService>().GetPersonAsync(workspaceId, PersonReference.ForEmail("ann@example.com"), Ct);
        person!.Attributes.Select(a => $"{a.Name}={a.Value}").ShouldBe(["first_name=Ann"]);
    }

    [Theory]
    [InlineData("""{"data": {"email": "a@x.com", "age": 30}}""", "data.age must be a string, as a form's fields are; it was a number.")]
    [InlineData("""{"data": {"email": "a@x.com", "tags": ["a"]}}""", "data.tags must be a string, as a form's fields are; it was an array.")]
    [InlineData("""{"data": {"email": null}}""", "data.email must be a string, as a form's fields are; it was null.")]
    [InlineData("""{"email": "a@x.com"}""", "data is required: an object of the form's fields, each a string.")]
    [InlineData("""{"data": "email=a@x.com"}""", "data is required: an object of the form's fields, each a string.")]
    public async Task AnythingButAnObjectOfStringsIsA400ThatChangesNothing(string json, string message)
    {
        using var response = await SubmitAsync("f", json);

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.V1ErrorAsync()).ShouldBe(message);
        (await _factory.Services.GetRequiredService<FormsService>().ListAsync(await WorkspaceIdAsync(), Ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task ASubmissionWithoutAnIdentifierIsA400ThatStillRegistersTheFormSoThatItCanBeMapped()
    {
        using var response = await SubmitAsync("contact", """{"data": {"user": "u1", "message": "hi"}}""");

        response.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await response.V1ErrorAsync()).ShouldStartWith("the submission has no identifier: map a field to the identifier on the Forms page");
        var forms = _factory.Services.GetRequiredService<FormsService>();
        var summary = (await forms.ListAsync(await WorkspaceIdAsync(), Ct)).Single();
        (await forms.GetAsync(await WorkspaceIdAsync(), summary.Id, Ct))!.Fields.Select(f => f.Name).ShouldBe(["user", "message"]);
    }

    [Fact]
    public async Task TheReservedFormKeysAreIgnoredAndASecondIdentifierFieldIsNeverSet()
    {
        using var response = await SubmitAsync("f", """{"data": {"email": "a@x.com", "id": "u1", "form_id": "x", "form_type": "t", "form_url": "u", "form_url_param": "p", "plan": "pro"}}""");

        response.StatusCode.ShouldBe(HttpStatusCode.NoContent);
        var person = await _factory.Services.GetRequiredService<PeopleService>().GetPersonAsync(await WorkspaceIdAsync(), PersonReference.ForEmail("a@x.com"), Ct);
        person!.Id.ShouldBeNull();
        person.Attributes.Select(a => a.Name).ShouldBe(["plan"]);
    }

    [Fact]
    public async Task WrongCredentialsAreRefused()
    {
        using var client = _factory.TrackClient(SiteId, "wrong-key");

        using var response = await client.PostAsync(new Uri("/api/v1/forms/f/submit", UriKind.Relative), Json("""{"data": {"email": "a@x.com"}}"""), Ct);

        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }
}
