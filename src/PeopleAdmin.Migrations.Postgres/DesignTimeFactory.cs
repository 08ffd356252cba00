using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Migrations.Postgres;

/// <summary>Lets <c>dotnet ef migrations add</c> build the PostgreSQL model without a server or the web app.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PeopleAdminDbContext>
{
    public PeopleAdminDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PeopleAdminDbContext>();
        DataServiceCollectionExtensions.Configure(builder, new DatabaseOptions { Provider = DatabaseProviders.Postgres }, "Host=localhost;Database=peopleadmin");
        return new PeopleAdminDbContext(builder.Options);
    }
}
