using System.Reflection;
using Microsoft.AspNetCore.Routing.Patterns;
using PeopleAdmin.Core.Workspaces;

namespace PeopleAdmin.Web.Features.Apis;

/// <summary>
/// The workspace whose Track or App credentials the request carries, as the scheme's authentication handler found it.
/// A handler takes it as a parameter; an endpoint outside the Track and App policies cannot, and fails loudly.
/// </summary>
internal sealed class ApiWorkspace(WorkspaceIdentity identity) : IBindableFromHttpContext<ApiWorkspace>
{
    public int Id => identity.Id;

    public string SiteId => identity.SiteId;

    public IdentifierMode Identifiers => identity.Settings.Identifiers;

    public int? RateLimitPerSecond => identity.RateLimitPerSecond;

    public static ValueTask<ApiWorkspace?> BindAsync(HttpContext context, ParameterInfo parameter) =>
        ValueTask.FromResult<ApiWorkspace?>(context.Features.Get<ApiWorkspace>()
            ?? throw new InvalidOperationException($"{context.GetEndpoint()?.DisplayName} takes the API's workspace but requires no Track or App authorization policy."));
}

/// <summary>
/// A route parameter's text, percent-decoded once from the raw request target (<see cref="ApiRequest.PathSegment"/>):
/// <c>%2F</c> is a slash inside it and <c>%252F</c> stays <c>%2F</c>, where the route value would be decoded only in
/// part. A handler names the parameter as its route does (<c>{identifier}</c> binds <c>PathText identifier</c>).
/// </summary>
internal sealed record PathText(string Value) : IBindableFromHttpContext<PathText>
{
    public static ValueTask<PathText?> BindAsync(HttpContext context, ParameterInfo parameter)
    {
        var segments = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.PathSegments ?? [];
        for (var index = 0; index < segments.Count; index++)
        {
            if (segments[index].Parts is [RoutePatternParameterPart part] && string.Equals(part.Name, parameter.Name, StringComparison.OrdinalIgnoreCase))
            {
                return ValueTask.FromResult<PathText?>(new PathText(ApiRequest.PathSegment(context, index)));
            }
        }

        throw new InvalidOperationException($"{context.GetEndpoint()?.DisplayName} has no route segment '{{{parameter.Name}}}' for its parameter of that name.");
    }

    public override string ToString() => Value;
}
