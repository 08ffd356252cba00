using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.Operators;

namespace PeopleAdmin.Web.Features.Operators;

/// <summary>Whether the one-time setup is behind us: true for good once any operator exists.</summary>
internal sealed class SetupState(IDbContextFactory<PeopleAdminDbContext> factory)
{
    private volatile bool _done;

    /// <summary>Serialises owner creation, so that two setup forms posted at once cannot make two owners.</summary>
    public SemaphoreSlim Gate { get; } = new(1, 1);

    public async Task<bool> IsDoneAsync(CancellationToken cancellationToken)
    {
        if (_done)
        {
            return true;
        }

        await using var db = await factory.CreateDbContextAsync(cancellationToken);
        _done = await db.Users.AnyAsync(cancellationToken);
        return _done;
    }

    public void MarkDone() => _done = true;
}

/// <summary>Creates operator accounts: the owner at setup, others from the command line.</summary>
internal sealed class OperatorAccounts(UserManager<Operator> users, SetupState setup, AuditTrail audit, TimeProvider time)
{
    public static readonly IdentityError SetupAlreadyDone = new()
    {
        Code = "SetupAlreadyDone",
        Description = "PeopleAdmin already has an owner; setup runs only once.",
    };

    /// <summary>Creates the owner account, only while no operator exists, and records how.</summary>
    public async Task<(IdentityResult Result, Operator? Owner)> CreateOwnerAsync(
        string email, string password, string how, string? remoteAddress, CancellationToken cancellationToken)
    {
        await setup.Gate.WaitAsync(cancellationToken);
        try
        {
            if (await setup.IsDoneAsync(cancellationToken))
            {
                return (IdentityResult.Failed(SetupAlreadyDone), null);
            }

            var (result, owner) = await CreateAsync(email, password, OperatorRoles.Owner);
            if (result.Succeeded)
            {
                setup.MarkDone();
                await audit.RecordAsync(AuditActions.Setup, owner!.Email, how, remoteAddress, cancellationToken);
            }

            return (result, owner);
        }
        finally
        {
            setup.Gate.Release();
        }
    }

    /// <summary>Adds an operator with one of <see cref="OperatorRoles.All"/>.</summary>
    public async Task<(IdentityResult Result, Operator? Operator)> AddAsync(string email, string password, string role)
    {
        var (result, added) = await CreateAsync(email, password, role);
        if (result.Succeeded)
        {
            setup.MarkDone();
        }

        return (result, added);
    }

    private async Task<(IdentityResult, Operator?)> CreateAsync(string email, string password, string role)
    {
        email = email.Trim();
        var account = new Operator
        {
            UserName = email,
            Email = email,
            // No email flows: an address is trusted as typed by whoever may create accounts.
            EmailConfirmed = true,
            CreatedAt = time.GetUtcNow().UtcDateTime,
        };
        var created = await users.CreateAsync(account, password);
        if (!created.Succeeded)
        {
            return (created, null);
        }

        var assigned = await users.AddToRoleAsync(account, role);
        if (!assigned.Succeeded)
        {
            await users.DeleteAsync(account);
            return (assigned, null);
        }

        return (IdentityResult.Success, account);
    }
}
