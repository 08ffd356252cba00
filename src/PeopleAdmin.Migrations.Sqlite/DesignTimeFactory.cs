using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using PeopleAdmin.Core.Data;

namespace PeopleAdmin.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the web app.</summary>
internal sealed class DesignTimeFactory : IDesignTimeDbContextFactory<PeopleAdminDbContext>
{
    public PeopleAdminDbContext CreateDbContext(string[] args)
    {
        var builder = new DbContextOptionsBuilder<PeopleAdminDbContext>();
        DataServiceCollectionExtensions.Configure(builder, new DatabaseOptions(), "Data Source=design-time.db");
        return new PeopleAdminDbContext(builder.Options);
    }
}
