using Microsoft.AspNetCore.Identity;
using PeopleAdmin.Core.Operators;
using PeopleAdmin.Web.Components.Account;

namespace PeopleAdmin.Web.Features.Operators;

/// <summary>
/// The command-line verbs that manage operators on the configured database, in place of email flows:
/// <c>reset-password &lt;email&gt; [--password P]</c> and <c>add-operator --email E --role R [--password P]</c>.
/// Without <c>--password</c> a random password is generated and printed. Exit codes: 0 done, 1 refused, 2 bad usage.
/// </summary>
internal sealed class OperatorCommands(UserManager<Operator> users, OperatorAccounts accounts, SetupState setup, AuditTrail audit)
{
    public const int Succeeded = 0;
    public const int Refused = 1;
    public const int BadUsage = 2;

    public const string ResetPasswordVerb = "reset-password";
    public const string AddOperatorVerb = "add-operator";

    private const string Usage = """
        Usage:
          reset-password <email> [--password <password>]
          add-operator --email <email> --role <Owner|Admin|Editor|Viewer> [--password <password>]
        Without --password, a new random password is generated and printed.
        """;

    public async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (args.Count == 0)
        {
            await error.WriteLineAsync(Usage);
            return BadUsage;
        }

        if (!TryParse(args.Skip(1), out var positional, out var options, out var problem))
        {
            await error.WriteLineAsync($"{problem}\n{Usage}");
            return BadUsage;
        }

        return args[0] switch
        {
            ResetPasswordVerb => await ResetPasswordAsync(positional, options, output, error, cancellationToken),
            AddOperatorVerb => await AddOperatorAsync(positional, options, output, error, cancellationToken),
            _ => await UnknownVerbAsync(args[0], error),
        };
    }

    private async Task<int> ResetPasswordAsync(
        List<string> positional, Dictionary<string, string> options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (positional.Count != 1 || options.Keys.Any(key => key != "password"))
        {
            await error.WriteLineAsync($"reset-password takes one email address and optionally --password.\n{Usage}");
            return BadUsage;
        }

        var email = positional[0];
        var account = await users.FindByEmailAsync(email);
        if (account is null)
        {
            await error.WriteLineAsync($"No operator has the email address {email}.");
            return Refused;
        }

        var generated = !options.TryGetValue("password", out var password);
        password ??= SignInRules.GeneratePassword();
        var token = await users.GeneratePasswordResetTokenAsync(account);
        var reset = await users.ResetPasswordAsync(account, token, password);
        if (!reset.Succeeded)
        {
            await error.WriteLineAsync($"The password was refused: {OperatorExtensions.Describe(reset)}");
            return Refused;
        }

        // A lost owner has often locked themselves out on the way.
        await users.SetLockoutEndDateAsync(account, null);
        await users.ResetAccessFailedCountAsync(account);
        await audit.RecordAsync(AuditActions.PasswordReset, account.Email, "from the command line", null, cancellationToken);
        await output.WriteLineAsync(generated
            ? $"The password of {account.Email} is reset. New password: {password}"
            : $"The password of {account.Email} is reset.");
        return Succeeded;
    }

    private async Task<int> AddOperatorAsync(
        List<string> positional, Dictionary<string, string> options, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (positional.Count != 0 || options.Keys.Any(key => key is not ("email" or "role" or "password"))
            || !options.TryGetValue("email", out var email) || !options.TryGetValue("role", out var roleName))
        {
            await error.WriteLineAsync($"add-operator takes --email and --role, and optionally --password.\n{Usage}");
            return BadUsage;
        }

        if (OperatorRoles.Find(roleName) is not { } role)
        {
            await error.WriteLineAsync($"There is no role '{roleName}'. Roles: {string.Join(", ", OperatorRoles.All)}.");
            return Refused;
        }

        // Setup ends with the first operator, so the first one must be able to run the place.
        if (role != OperatorRoles.Owner && !await setup.IsDoneAsync(cancellationToken))
        {
            await error.WriteLineAsync("PeopleAdmin has no operator yet: the first one must be the owner (--role Owner), or use the setup page.");
            return Refused;
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            await error.WriteLineAsync($"An operator with the email address {email} exists already; reset-password changes their password.");
            return Refused;
        }

        var generated = !options.TryGetValue("password", out var password);
        password ??= SignInRules.GeneratePassword();
        var (result, added) = await accounts.AddAsync(email, password, role);
        if (!result.Succeeded)
        {
            await error.WriteLineAsync($"The operator was not added: {OperatorExtensions.Describe(result)}");
            return Refused;
        }

        await audit.RecordAsync(AuditActions.OperatorAdded, added!.Email, $"role {role}, from the command line", null, cancellationToken);
        await output.WriteLineAsync(generated
            ? $"Added {added.Email} as {role}. Password: {password}"
            : $"Added {added.Email} as {role}.");
        return Succeeded;
    }

    private static async Task<int> UnknownVerbAsync(string verb, TextWriter error)
    {
        await error.WriteLineAsync($"Unknown command '{verb}'.\n{Usage}");
        return BadUsage;
    }

    private static bool TryParse(
        IEnumerable<string> args, out List<string> positional, out Dictionary<string, string> options, out string? problem)
    {
        positional = [];
        options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        problem = null;
        using var arg = args.GetEnumerator();
        while (arg.MoveNext())
        {
            if (!arg.Current.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg.Current);
                continue;
            }

            var name = arg.Current[2..];
            string value;
            if (name.IndexOf('=', StringComparison.Ordinal) is var equals and >= 0)
            {
                value = name[(equals + 1)..];
                name = name[..equals];
            }
            else if (arg.MoveNext())
            {
                value = arg.Current;
            }
            else
            {
                problem = $"--{name} needs a value.";
                return false;
            }

            if (!options.TryAdd(name, value))
            {
                problem = $"--{name} is given twice.";
                return false;
            }
        }

        return true;
    }
}

internal static class CommandLineVerbs
{
    /// <summary>
    /// Runs a verb such as <c>reset-password</c> on the built app's services and answers true, or answers false to
    /// let the app serve. Branching after <c>Build()</c> keeps <c>WebApplicationFactory&lt;Program&gt;</c> working.
    /// </summary>
    public static async Task<bool> RunCommandLineVerbAsync(this WebApplication app, string[] args)
    {
        // Options and configuration (--urls x, key=value) are the host's; a bare first word is a verb.
        if (args.Length == 0 || args[0].StartsWith('-') || args[0].Contains('=', StringComparison.Ordinal))
        {
            return false;
        }

        await using var scope = app.Services.CreateAsyncScope();
        if (args[0] == Demo.SeedDemoCommand.Verb)
        {
            var seed = ActivatorUtilities.CreateInstance<Demo.SeedDemoCommand>(scope.ServiceProvider);
            Environment.ExitCode = await seed.RunAsync(args, Console.Out, Console.Error, app.Lifetime.ApplicationStopping);
            return true;
        }

        var commands = scope.ServiceProvider.GetRequiredService<OperatorCommands>();
        Environment.ExitCode = await commands.RunAsync(args, Console.Out, Console.Error, app.Lifetime.ApplicationStopping);
        return true;
    }
}
