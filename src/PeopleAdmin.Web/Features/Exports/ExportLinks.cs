using System.Globalization;
using Microsoft.AspNetCore.DataProtection;
using PeopleAdmin.Web.Infrastructure;

namespace PeopleAdmin.Web.Features.Exports;

/// <summary>
/// Download links that need no other credential: the export's workspace and id, signed and encrypted with a
/// time-limited Data Protection protector, under the public address. Nothing is stored, so nothing can leak from the
/// database; a link stops working after <see cref="Lifetime"/> or when the key ring changes.
/// </summary>
internal sealed class ExportLinks(IDataProtectionProvider protection, PublicAddress address, TimeProvider clock)
{
    public const string Path = "/exports/download";
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    private readonly ITimeLimitedDataProtector _protector =
        protection.CreateProtector("PeopleAdmin.Exports.Download.v1").ToTimeLimitedDataProtector();

    public string Link(int workspaceId, long exportId)
    {
        var token = _protector.Protect(
            FormattableString.Invariant($"{workspaceId}:{exportId}"), clock.GetUtcNow().Add(Lifetime));
        return address.Link($"{Path}/{token}");
    }

    /// <summary>The export a token names; false when it is forged, damaged or expired.</summary>
    public bool TryRead(string token, out int workspaceId, out long exportId)
    {
        (workspaceId, exportId) = (0, 0);
        try
        {
            var parts = _protector.Unprotect(token, out var expires).Split(':');
            return expires > clock.GetUtcNow()
                && parts.Length == 2
                && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out workspaceId)
                && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out exportId);
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}
