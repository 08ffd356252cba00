using Microsoft.EntityFrameworkCore;

namespace PeopleAdmin.Core.Data;

/// <summary>
/// A new context per call from fixed options, for code that runs without the app's service container (tests and
/// benchmarks), so that it gets contexts as the app does. Like the app's factory it does not pool: a pooled context
/// goes back to its pool still holding a connection given to it with <c>SetDbConnection</c>, as the writer's is.
/// </summary>
public sealed class PeopleAdminContextFactory(DbContextOptions<PeopleAdminDbContext> options) : IDbContextFactory<PeopleAdminDbContext>
{
    public PeopleAdminDbContext CreateDbContext() => new(options);
}
