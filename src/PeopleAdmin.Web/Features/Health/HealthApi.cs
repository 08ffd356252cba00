using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Web.Features.Health;

internal static class HealthApi
{
    public sealed record HealthReport(string Status, string Database);

    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", GetHealthAsync).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    /// <summary>200 when the database answers a query, 503 when it does not.</summary>
    internal static async Task<Results<Ok<HealthReport>, JsonHttpResult<HealthReport>>> GetHealthAsync(
        IDbContextFactory<PeopleAdminDbContext> factory, ILoggerFactory loggers, CancellationToken cancellationToken)
    {
        try
        {
            await using var db = await factory.CreateDbContextAsync(cancellationToken);
            await db.Workspaces.AnyAsync(cancellationToken);
            return TypedResults.Ok(new HealthReport("healthy", "reachable"));
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            loggers.CreateLogger("PeopleAdmin.Health").LogWarning(exception, "Health check: the database did not answer");
            return TypedResults.Json(new HealthReport("unhealthy", "unreachable"), statusCode: StatusCodes.Status503ServiceUnavailable);
        }
    }
}
