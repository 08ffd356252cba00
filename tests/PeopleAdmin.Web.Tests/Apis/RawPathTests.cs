using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using PeopleAdmin.Web.Features.Apis;

namespace PeopleAdmin.Web.Tests.Apis;

public sealed class RawPathTests
{
    [Theory]
    [InlineData("/api/v1/customers/a+b%40example.com", "a+b@example.com")]
    [InlineData("/api/v1/customers/a%2Bb%40example.com", "a+b@example.com")]
    [InlineData("/api/v1/customers/team%2Fsales", "team/sales")]
    [InlineData("/api/v1/customers/team%252Fsales", "team%2Fsales")]
    [InlineData("/api/v1/customers/caf%C3%A9", "café")]
    [InlineData("/api/v1/customers/with%20space?x=%2F", "with space")]
    [InlineData("/api/v1/customers/cio_abc123/events", "cio_abc123")]
    public void APathSegmentIsDecodedOnceFromTheRawTarget(string rawTarget, string expected)
    {
        var http = new DefaultHttpContext();
        http.Features.Get<IHttpRequestFeature>()!.RawTarget = rawTarget;

        ApiRequest.PathSegment(http, 3).ShouldBe(expected);
    }

    [Fact]
    public void ASegmentPastTheEndIsEmpty()
    {
        var http = new DefaultHttpContext();
        http.Features.Get<IHttpRequestFeature>()!.RawTarget = "/api/v1/customers";

        ApiRequest.PathSegment(http, 5).ShouldBeEmpty();
    }
}
