using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;

namespace PeopleAdmin.Web.Features.Operators;

/// <summary>Lockout and password policy of operator accounts; the README states the same numbers.</summary>
internal static class SignInRules
{
    public const int MaxFailedAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);

    // Length over composition rules, as NIST SP 800-63B recommends.
    public const int MinimumPasswordLength = 12;
    public const int MinimumUniqueCharacters = 4;

    public static readonly TimeSpan RememberMeDuration = TimeSpan.FromDays(14);

    private const string GeneratedAlphabet = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static void Apply(IdentityOptions options)
    {
        options.Lockout.AllowedForNewUsers = true;
        options.Lockout.MaxFailedAccessAttempts = MaxFailedAttempts;
        options.Lockout.DefaultLockoutTimeSpan = LockoutDuration;

        options.Password.RequiredLength = MinimumPasswordLength;
        options.Password.RequiredUniqueChars = MinimumUniqueCharacters;
        options.Password.RequireDigit = false;
        options.Password.RequireLowercase = false;
        options.Password.RequireUppercase = false;
        options.Password.RequireNonAlphanumeric = false;

        options.User.RequireUniqueEmail = true;
        options.SignIn.RequireConfirmedAccount = false;
        options.SignIn.RequireConfirmedEmail = false;
    }

    /// <summary>A random password of 20 characters without look-alikes (about 116 bits).</summary>
    public static string GeneratePassword() => RandomNumberGenerator.GetString(GeneratedAlphabet, 20);
}
