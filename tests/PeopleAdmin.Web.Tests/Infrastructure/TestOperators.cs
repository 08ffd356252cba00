using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Web.Features.Team;

namespace PeopleAdmin.Web.Tests.Infrastructure;

/// <summary>Operator accounts made straight through Identity, as a test's arrangement, in the app under test.</summary>
public static class TestOperators
{
    public const string Password = "a long enough password";

    public static async Task<Operator> AddOperatorAsync(this PeopleAdminFactory factory, string email, string role)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Operator>>();
        var account = new Operator { UserName = email, Email = email, EmailConfirmed = true, CreatedAt = DateTime.UtcNow };
        (await users.CreateAsync(account, Password)).Succeeded.ShouldBeTrue();
        (await users.AddToRoleAsync(account, role)).Succeeded.ShouldBeTrue();
        return account;
    }

    public static async Task<Operator?> FindOperatorAsync(this PeopleAdminFactory factory, string email)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<UserManager<Operator>>().FindByEmailAsync(email);
    }

    /// <summary>The team service's view of an operator making a change.</summary>
    public static async Task<TeamActor> ActorAsync(this PeopleAdminFactory factory, string email) =>
        new((await factory.FindOperatorAsync(email))!.Id, email, "192.0.2.1");
}
