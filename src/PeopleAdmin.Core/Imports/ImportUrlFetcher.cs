using System.Net;
using System.Net.Sockets;

namespace PeopleAdmin.Core.Imports;

/// <summary>Why a <c>data_file_url</c> is not fetched: a host or address the allow-list does not name, a redirect too many, an HTTP error.</summary>
public sealed class ImportFetchException(string message) : Exception(message);

/// <summary>
/// Fetches an App API import's <c>data_file_url</c>. Only hosts named in <see cref="ImportsOptions.AllowedUrlHosts"/>
/// (none by default) are fetched, every redirect is checked again, and the connection goes to the address the name
/// resolved to once that address was checked: loopback, private, link-local and other special addresses are refused
/// unless the allow-list names that address itself, so that an import URL never reaches the app's own network.
/// </summary>
public sealed class ImportUrlFetcher(ImportsOptions settings) : IDisposable
{
    public const int MaxRedirects = 5;

    private readonly HttpClient _client = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        UseProxy = false,
        UseCookies = false,
        ConnectTimeout = TimeSpan.FromSeconds(15),
        ConnectCallback = (context, ct) => ConnectAsync(context.DnsEndPoint, settings.AllowedUrlHosts, ct),
    })
    {
        Timeout = TimeSpan.FromHours(1),
    };

    /// <summary>Why <paramref name="url"/> may not be fetched by its form and host (addresses are checked when connecting), or null.</summary>
    public static string? Refusal(string url, IReadOnlyList<string> allowedHosts)
    {
        if (url.Length > 2048)
        {
            return $"data_file_url is {url.Length} characters; the limit is 2048";
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return "data_file_url must be an absolute http or https URL";
        }

        if (uri.UserInfo.Length > 0)
        {
            return "data_file_url must not carry credentials";
        }

        if (allowedHosts.Count == 0)
        {
            return "this server fetches import files from no host: an operator names the allowed hosts in PeopleAdmin__Imports__AllowedUrlHosts";
        }

        return allowedHosts.Any(h => string.Equals(h.Trim(), uri.IdnHost, StringComparison.OrdinalIgnoreCase))
            ? null
            : $"the host {uri.IdnHost} is not among the hosts this server fetches import files from (PeopleAdmin__Imports__AllowedUrlHosts)";
    }

    /// <summary>The file's body, after following at most <see cref="MaxRedirects"/> redirects, each checked as the first URL was.</summary>
    public async Task<HttpResponseMessage> GetAsync(string url, CancellationToken ct)
    {
        var current = url;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            if (Refusal(current, settings.AllowedUrlHosts) is { } refused)
            {
                throw new ImportFetchException(hop == 0 ? refused : $"a redirect led to {current}: {refused}");
            }

            HttpResponseMessage response;
            try
            {
                response = await _client.GetAsync(new Uri(current), HttpCompletionOption.ResponseHeadersRead, ct);
            }
            catch (HttpRequestException exception)
            {
                throw new ImportFetchException(exception.InnerException as ImportFetchException is { } inner ? inner.Message : $"{current} cannot be fetched: {exception.Message}");
            }

            if ((int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location)
            {
                current = new Uri(new Uri(current), location).ToString();
                response.Dispose();
                continue;
            }

            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                response.Dispose();
                throw new ImportFetchException($"{current} answered {status}");
            }

            if (response.Content.Headers.ContentLength > settings.MaxFileBytes)
            {
                response.Dispose();
                throw new ImportFetchException($"the file is over the limit of {settings.MaxFileBytes:N0} bytes (PeopleAdmin__Imports__MaxFileBytes)");
            }

            return response;
        }

        throw new ImportFetchException($"more than {MaxRedirects} redirects from {url}");
    }

    /// <summary>True for addresses of the machine's own or a private network: loopback, private, link-local, shared, unspecified, multicast.</summary>
    public static bool IsInternal(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        if (IPAddress.IsLoopback(address) || address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any) || address.Equals(IPAddress.Broadcast))
        {
            return true;
        }

        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            var first = address.GetAddressBytes()[0];
            return address.IsIPv6LinkLocal || address.IsIPv6SiteLocal || address.IsIPv6Multicast || (first & 0xFE) == 0xFC;
        }

        var b = address.GetAddressBytes();
        return b[0] is 0 or 10 or 127 || b[0] >= 224
            || (b[0] == 169 && b[1] == 254)
            || (b[0] == 172 && b[1] >= 16 && b[1] <= 31)
            || (b[0] == 192 && b[1] == 168)
            || (b[0] == 100 && b[1] >= 64 && b[1] <= 127);
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, IReadOnlyList<string> allowedHosts, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal) ? [literal] : await Dns.GetHostAddressesAsync(endpoint.Host, ct);
        if (addresses.Length == 0)
        {
            throw new ImportFetchException($"{endpoint.Host} resolves to no address");
        }

        foreach (var address in addresses)
        {
            if (IsInternal(address) && !allowedHosts.Any(h => IPAddress.TryParse(h.Trim(), out var allowed) && allowed.Equals(address)))
            {
                throw new ImportFetchException(
                    $"{endpoint.Host} resolves to {address}, an address of a private or local network; PeopleAdmin__Imports__AllowedUrlHosts must name that address itself to allow it");
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _client.Dispose();
}
