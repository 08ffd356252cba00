using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Web.Features.Operators;
using PeopleAdmin.Web.Tests.Infrastructure;

namespace PeopleAdmin.Web.Tests.Operators;

public sealed partial class OperatorCommandsTests
{
    [Fact]
    public async Task ResetPasswordGeneratesPrintsAndSetsANewPassword()
    {
        await using var factory = new PeopleAdminFactory().WithOwner();

        var (exitCode, output, _) = await RunAsync(factory, "reset-password", StaticForms.OwnerEmail);

        exitCode.ShouldBe(OperatorCommands.Succeeded);
        var printed = PrintedPassword().Match(output);
        printed.Success.ShouldBeTrue(output);
        (await PasswordWorksAsync(factory, StaticForms.OwnerEmail, printed.Groups[1].Value)).ShouldBeTrue();
        (await PasswordWorksAsync(factory, StaticForms.OwnerEmail, StaticForms.OwnerPassword)).ShouldBeFalse();
        (await SignInTests.AuditActionsAsync(factory)).ShouldContain(AuditActions.PasswordReset);
    }

    [Fact]
    public async Task ResetPasswordWithAGivenPasswordSetsItAndEndsALockout()
    {
        await using var factory = new PeopleAdminFactory().WithOwner();
        await using (var scope = factory.Services.CreateAsyncScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<Operator>>();
            await users.SetLockoutEndDateAsync((await users.FindByEmailAsync(StaticForms.OwnerEmail))!, DateTimeOffset.UtcNow.AddHours(1));
        }

        var (exitCode, output, _) = await RunAsync(factory, "reset-password", StaticForms.OwnerEmail, "--password", "a brand new passphrase");

        exitCode.ShouldBe(OperatorCommands.Succeeded);
        output.ShouldNotContain("a brand new passphrase");
        await using var check = factory.Services.CreateAsyncScope();
        var checkUsers = check.ServiceProvider.GetRequiredService<UserManager<Operator>>();
        var owner = (await checkUsers.FindByEmailAsync(StaticForms.OwnerEmail))!;
        (await checkUsers.IsLockedOutAsync(owner)).ShouldBeFalse();
        (await checkUsers.CheckPasswordAsync(owner, "a brand new passphrase")).ShouldBeTrue();
    }

    [Fact]
    public async Task ResetPasswordOfAnUnknownEmailFailsWithAClearMessage()
    {
        await using var factory = new PeopleAdminFactory().WithOwner();

        var (exitCode, _, error) = await RunAsync(factory, "reset-password", "nobody@example.test");

        exitCode.ShouldBe(OperatorCommands.Refused);
        error.ShouldContain("No operator has the email address nobody@example.test");
    }

    [Fact]
    public async Task ResetPasswordRefusesAWeakPasswordAndKeepsTheOldOne()
    {
        await using var factory = new PeopleAdminFactory().WithOwner();

        var (exitCode, _, error) = await RunAsync(factory, "reset-password", StaticForms.OwnerEmail, "--password", "short");

        exitCode.ShouldBe(OperatorCommands.Refused);
        error.ShouldContain("at least 12 characters");
        (await PasswordWorksAsync(factory, StaticForms.OwnerEmail, StaticForms.OwnerPassword)).ShouldBeTrue();
    }

    [Fact]
    public async Task AddOperatorAddsAnOperatorWithTheRoleAndPrintsTheGeneratedPassword()
    {
        await using var factory = new PeopleAdminFactory().WithOwner();

        var (exitCode, output, _) = await RunAsync(factory, "add-operator", "--email", "editor@example.test", "--role", "editor");

        exitCode.ShouldBe(OperatorCommands.Succeeded);
        output.ShouldContain("Added editor@example.test as Editor.");
        var printed = PrintedPassword().Match(output);
        printed.Success.ShouldBeTrue(output);
        (await PasswordWorksAsync(factory, "editor@example.test", printed.Groups[1].Value)).ShouldBeTrue();
        (await SignInTests.RolesOfAsync(factory, "editor@example.test")).ShouldBe([OperatorRoles.Editor]);
        (await SignInTests.AuditActionsAsync(factory)).ShouldContain(AuditActions.OperatorAdded);
    }

    [Fact]
    public async Task AddOperatorRefusesAnUnknownRole()
    {
        await using var factory = new PeopleAdminFactory().WithOwner();

        var (exitCode, _, error) = await RunAsync(factory, "add-operator", "--email", "x@example.test", "--role", "Superuser");

        exitCode.ShouldBe(OperatorCommands.Refused);
        error.ShouldContain("There is no role 'Superuser'. Roles: Owner, Admin, Editor, Viewer.");
    }

    [Fact]
    public async Task AddOperatorRefusesAWeakPasswordAndAddsNobody()
    {
        await using var factory = new PeopleAdminFactory().WithOwner();

        var (exitCode, _, error) = await RunAsync(factory, "add-operator", "--email", "x@example.test", "--role", "Viewer", "--password", "aaaaaaaaaaaa");

        exitCode.ShouldBe(OperatorCommands.Refused);
        error.ShouldContain("at least 4 different characters");
        await using var db = await SignInTests.DbAsync(factory);
        db.Users.Count().ShouldBe(1);
    }

    [Fact]
    public async Task TheFirstOperatorAddedOnTheCommandLineMustBeTheOwner()
    {
        await using var factory = new PeopleAdminFactory();

        var refused = await RunAsync(factory, "add-operator", "--email", "editor@example.test", "--role", "Editor");
        var owner = await RunAsync(factory, "add-operator", "--email", "owner@example.test", "--role", "Owner");

        refused.ExitCode.ShouldBe(OperatorCommands.Refused);
        refused.Error.ShouldContain("the first one must be the owner");
        owner.ExitCode.ShouldBe(OperatorCommands.Succeeded);
        (await SignInTests.RolesOfAsync(factory, "owner@example.test")).ShouldBe([OperatorRoles.Owner]);
    }

    [Fact]
    public async Task AddOperatorRefusesAnEmailThatIsTaken()
    {
        await using var factory = new PeopleAdminFactory().WithOwner();

        var (exitCode, _, error) = await RunAsync(factory, "add-operator", "--email", StaticForms.OwnerEmail, "--role", "Viewer");

        exitCode.ShouldBe(OperatorCommands.Refused);
        error.ShouldContain("exists already");
    }

    [Theory]
    [InlineData("add-operator", "--role", "Editor")]
    [InlineData("add-operator", "--email")]
    [InlineData("reset-password")]
    [InlineData("reset-password", "a@example.test", "--colour", "blue")]
    [InlineData("make-coffee")]
    public async Task BadUsageExitsWith2AndShowsTheUsage(params string[] args)
    {
        await using var factory = new PeopleAdminFactory();

        var (exitCode, _, error) = await RunAsync(factory, args);

        exitCode.ShouldBe(OperatorCommands.BadUsage);
        error.ShouldContain("Usage:");
    }

    [Fact]
    public async Task TheBuiltAppRunsTheVerbAndExitsNonZeroOnAnUnknownEmail()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "peopleadmin-web-tests", Guid.NewGuid().ToString("n"));
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "PeopleAdmin.Web.dll"), "reset-password", "nobody@example.test" },
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            Environment = { ["PeopleAdmin__DataDirectory"] = dataDirectory, ["ASPNETCORE_ENVIRONMENT"] = "Development" },
        };

        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        process.ExitCode.ShouldBe(OperatorCommands.Refused);
        error.ShouldContain("No operator has the email address nobody@example.test");
        Directory.Delete(dataDirectory, recursive: true);
    }

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(PeopleAdminFactory factory, params string[] args)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var commands = scope.ServiceProvider.GetRequiredService<OperatorCommands>();
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await commands.RunAsync(args, output, error, TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }

    private static async Task<bool> PasswordWorksAsync(PeopleAdminFactory factory, string email, string password)
    {
        await using var scope = factory.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<Operator>>();
        return await users.CheckPasswordAsync((await users.FindByEmailAsync(email))!, password);
    }

    [GeneratedRegex("[Pp]assword: (\\S+)")]
    private static partial Regex PrintedPassword();
}
