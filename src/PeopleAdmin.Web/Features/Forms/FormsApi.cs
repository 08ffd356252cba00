using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using PeopleAdmin.Core.Forms;
using PeopleAdmin.Core.People;
using PeopleAdmin.Core.Workspaces;
using PeopleAdmin.Web.Features.Apis;
using PeopleAdmin.Web.Features.TrackApi;

namespace PeopleAdmin.Web.Features.Forms;

/// <summary>
/// Form submissions: Customer.io's Forms API (<c>POST /api/v1/forms/{form_id}/submit</c>, Track credentials) and the
/// hosted action that a plain HTML form on any website posts to (<c>POST /forms/{site_id}/{form_id}</c>, no
/// credentials: a public source). Both go through the identity service's <see cref="SubmitFormOperation"/>.
/// </summary>
internal static class FormsApi
{
    public const int HostedBodyLimit = 256 * 1024;

    /// <summary>The Forms API's body, for the OpenAPI document: the handler reads the JSON itself to name each bad field.</summary>
    public sealed record FormSubmitRequest(Dictionary<string, string> Data);

    public static IEndpointRouteBuilder MapFormsApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("/api/v1/forms").RequireAuthorization(ApiPolicies.Track).RequireRateLimiting(ApiPolicies.Track)
            .WithApiErrors(ErrorShape.TrackV1).WithTags("Track API v1")
            .MapPost("/{formId}/submit", SubmitAsync).WithName("TrackSubmitForm").AcceptsJsonOrForm<FormSubmitRequest>();

        // No Accepts metadata: routing would turn another content type away before the handler's own 415 page.
        endpoints.MapPost("/forms/{siteId}/{formId}", HostedSubmitAsync)
            .WithName("HostedFormSubmit")
            .WithTags("Hosted forms")
            .WithSummary("The action of a plain HTML form on any website: its fields as application/x-www-form-urlencoded or multipart/form-data, no credentials.")
            .Produces(StatusCodes.Status303SeeOther)
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .AllowAnonymous()
            .DisableAntiforgery()
            .RequireRateLimiting(HostedFormRateLimitPolicy.Name);
        endpoints.MapMethods("/forms/{siteId}/{formId}", [HttpMethods.Get, HttpMethods.Put, HttpMethods.Patch, HttpMethods.Delete], PostOnly)
            .AllowAnonymous()
            .ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>
    /// <c>{"data": {...}}</c> of string values; <c>204</c> once applied. An unknown form id registers the form; a
    /// submission without an identifier is a <c>400</c> that still registers it, so that it can be mapped.
    /// </summary>
    internal static async Task<Results<NoContent, JsonHttpResult<V1ErrorBody>>> SubmitAsync(
        HttpContext http, ApiWorkspace workspace, PathText formId, PeopleService people, CancellationToken cancellationToken)
    {
        var (document, problem) = await ApiRequest.ReadJsonAsync(http.Request, ApiRequest.OneMebibyte, emptyIsObject: false, cancellationToken, BodyKind.JsonOrForm);
        using (document)
        {
            if (problem is not null)
            {
                return Error(problem);
            }

            var root = document!.RootElement;
            if (TrackInput.RequireObject(root, "body") is { } notObject)
            {
                return Error(notObject);
            }

            if (TrackInput.RequireProperty(root, "data", JsonValueKind.Object, "data is required: an object of the form's fields, each a string.", out var data) is { } noData)
            {
                return Error(noData);
            }

            var fields = new List<KeyValuePair<string, string>>();
            foreach (var property in data.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    return Error(ApiProblem.Invalid($"data.{property.Name}", $"data.{property.Name} must be a string, as a form's fields are; it was {TrackInput.Kind(property.Value)}."));
                }

                fields.Add(KeyValuePair.Create(property.Name, property.Value.GetString()!));
            }

            var operation = new SubmitFormOperation(formId.Value, fields, Public: false);
            if (OperationValidator.Validate(operation) is { } invalid)
            {
                return Error(TrackResults.Problem(invalid));
            }

            var result = await people.ExecuteAsync(new OperationContext(workspace.Id, Sources.Form, "track_api:" + workspace.SiteId), operation, cancellationToken);
            return result switch
            {
                { Status: OperationStatus.Rejected } => Error(TrackResults.Problem(result.Error!)),
                { IgnoredReason: FormRules.IgnoredNoIdentifier } => Error(ApiProblem.Invalid("data", FormRules.NoIdentifierMessage + ".")),
                _ => TypedResults.NoContent(),
            };
        }
    }

    /// <summary>
    /// A plain HTML form's submission: the form must exist, a page's <c>Origin</c> must be allowed, a filled honeypot
    /// is answered as a success and dropped; then <c>303</c> to the form's success URL when its origin is allowed, or a
    /// thank-you page.
    /// </summary>
    internal static async Task<Results<SeeOtherHttpResult, ContentHttpResult>> HostedSubmitAsync(
        HttpContext http,
        PathText siteId,
        PathText formId,
        WorkspaceDirectory directory,
        FormsService forms,
        PeopleService people,
        WorkspaceSubmissionLimiter limiter,
        CancellationToken cancellationToken)
    {
        if (http.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }

        var workspace = await directory.FindBySiteIdAsync(siteId.Value, cancellationToken);
        var form = workspace is null ? null : await forms.FindByFormIdAsync(workspace.Id, formId.Value, cancellationToken);
        if (workspace is null || form is null)
        {
            return HostedFormPages.NotFound;
        }

        if (http.Request.Headers.Origin.ToString() is { Length: > 0 } origin && !AllowedOrigins.Allows(workspace.Settings.AllowedOrigins, origin))
        {
            return HostedFormPages.OriginNotAllowed;
        }

        if (!http.Request.HasFormContentType)
        {
            return HostedFormPages.NotAForm;
        }

        if (http.Request.ContentLength > HostedBodyLimit)
        {
            return HostedFormPages.TooLarge(HostedBodyLimit);
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = HostedBodyLimit;
        }

        IFormCollection submitted;
        try
        {
            submitted = await http.Request.ReadFormAsync(cancellationToken);
        }
        catch (Exception exception) when (exception is InvalidDataException or IOException)
        {
            // A malformed or truncated multipart body ends in an IOException (BadHttpRequestException is one too).
            return exception is BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }
                ? HostedFormPages.TooLarge(HostedBodyLimit)
                : HostedFormPages.Invalid("the form's fields could not be read");
        }

        if (!string.IsNullOrWhiteSpace(submitted[FormRules.Honeypot]))
        {
            return Success(form, workspace);
        }

        if (limiter.TryAcquire(workspace.Id) is { } wait)
        {
            http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
            return HostedFormPages.Busy;
        }

        // Checkbox groups and multi-selects repeat a name: their values are kept together.
        var fields = submitted.Where(f => f.Key != FormRules.Honeypot).Select(f => KeyValuePair.Create(f.Key, string.Join(", ", f.Value.Where(v => v is not null)))).ToList();
        var operation = new SubmitFormOperation(formId.Value, fields, Public: true);
        var result = OperationValidator.Validate(operation) is { } invalid
            ? new OperationResult(OperationStatus.Rejected) { Error = invalid }
            : await people.ExecuteAsync(new OperationContext(workspace.Id, Sources.Form, "hosted_form:" + formId.Value), operation, cancellationToken);
        return result switch
        {
            { Status: OperationStatus.Rejected, Error.Kind: ErrorKind.NotFound } => HostedFormPages.NotFound,
            { Status: OperationStatus.Rejected } => HostedFormPages.Invalid(result.Error!.Message),
            { IgnoredReason: FormRules.IgnoredNoIdentifier } => HostedFormPages.NoIdentifier,
            _ => Success(form, workspace),
        };
    }

    /// <summary>A visitor who opens the action's address in the browser is told what it is, not sent to the operators' sign-in.</summary>
    internal static ContentHttpResult PostOnly(HttpContext http)
    {
        if (http.Features.Get<IStatusCodePagesFeature>() is { } statusPages)
        {
            statusPages.Enabled = false;
        }

        http.Response.Headers.Allow = HttpMethods.Post;
        return HostedFormPages.PostOnly;
    }

    /// <summary>The success URL comes from the form, never from the request, and only to an allowed origin: never an open redirect.</summary>
    private static Results<SeeOtherHttpResult, ContentHttpResult> Success(FormDetails form, WorkspaceIdentity workspace) =>
        form.SuccessUrl is { } url && Uri.TryCreate(url, UriKind.Absolute, out var target)
            && AllowedOrigins.Allows(workspace.Settings.AllowedOrigins, AllowedOrigins.OriginOf(target))
            ? new SeeOtherHttpResult(target.AbsoluteUri)
            : HostedFormPages.ThankYou;

    private static JsonHttpResult<V1ErrorBody> Error(ApiProblem problem) =>
        TypedResults.Json(new V1ErrorBody(new V1ErrorMeta([problem.Message])), statusCode: problem.Status);
}

/// <summary><c>303 See Other</c>: after a POST, the browser fetches the location with GET (ASP.NET Core's redirect results have no 303).</summary>
internal sealed class SeeOtherHttpResult(string location) : IResult
{
    public string Location { get; } = location;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        httpContext.Response.StatusCode = StatusCodes.Status303SeeOther;
        httpContext.Response.Headers.Location = Location;
        return Task.CompletedTask;
    }
}
