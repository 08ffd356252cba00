using Microsoft.Extensions.Options;
using PeopleAdmin.Core.Instances;
using PeopleAdmin.Core.LeadAds;
using PeopleAdmin.Core.People;

namespace PeopleAdmin.Web.Features.LeadAds;

/// <summary>
/// Reads the leads that are due from the Graph API and applies each through the identity service, one run at a time.
/// A failure waits twice as long as the one before, up to the configured number of attempts; an expired Page token
/// fails the lead at once, with the reason on the Lead ads page.
/// </summary>
internal sealed class LeadProcessor(
    LeadAdsService leads, GraphLeadClient graph, PeopleService people, IOptions<LeadAdsOptions> options, TimeProvider time, ILogger<LeadProcessor> logger)
{
    private const int BatchSize = 50;

    private readonly SemaphoreSlim _oneRun = new(1, 1);
    private readonly SemaphoreSlim _wake = new(0, 1);

    /// <summary>A notification came in: the background reader looks now rather than at its next poll.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another notification woke it first.
            }
        }
    }

    public Task WaitForWorkAsync(TimeSpan timeout, CancellationToken ct) => _wake.WaitAsync(timeout, ct);

    /// <summary>Works through the leads due now; answers how many were applied.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken ct)
    {
        await _oneRun.WaitAsync(ct);
        try
        {
            // Each lead is tried at most once a run: one that failed waits for its next attempt in a later run.
            var applied = 0;
            IReadOnlyList<DueLead> due;
            do
            {
                due = await leads.DueAsync(BatchSize, ct);
                foreach (var lead in due)
                {
                    applied += await ProcessAsync(lead, ct) ? 1 : 0;
                }
            }
            while (due.Count == BatchSize);

            return applied;
        }
        finally
        {
            _oneRun.Release();
        }
    }

    private async Task<bool> ProcessAsync(DueLead lead, CancellationToken ct)
    {
        if (lead.AccessToken is null)
        {
            await FailAsync(lead, "the lead's Page is not among the connection's Pages: add the Page with its access token, then retry", permanent: true, ct);
            return false;
        }

        var (read, failure) = await graph.GetLeadAsync(lead.GraphVersion, lead.LeadgenId, lead.AccessToken, ct);
        if (failure is not null)
        {
            await FailAsync(lead, failure.Message, failure.Permanent, ct);
            return false;
        }

        var formId = lead.FormId ?? read!.FormId;
        var operation = new SubmitLeadOperation(lead.LeadgenId, formId, lead.AdId ?? read!.AdId, read!.Fields, lead.Mapping);
        var result = await people.ExecuteAsync(new OperationContext(lead.WorkspaceId, Sources.LeadAd, "facebook_lead_ads:" + (formId ?? "unknown form")), operation, ct);
        if (result.Status == OperationStatus.Rejected)
        {
            await FailAsync(lead, $"the lead could not be applied: {result.Error!.Message}", permanent: true, ct);
            return false;
        }

        if (result.IgnoredReason is { } ignored)
        {
            await FailAsync(lead, $"the lead was not applied: {ignored} (map a field to the identifier, or ask for an email on the lead form)", permanent: true, ct);
            return false;
        }

        await leads.MarkAppliedAsync(lead.Id, read.FormId, read.AdId, result.CioId, ct);
        return true;
    }

    private async Task FailAsync(DueLead lead, string reason, bool permanent, CancellationToken ct)
    {
        var attempts = lead.Attempts + 1;
        DateTimeOffset? retryAt = permanent || attempts >= options.Value.MaxAttempts
            ? null
            : time.GetUtcNow() + options.Value.RetryDelay * Math.Pow(2, attempts - 1);
        logger.LogWarning("Lead {LeadgenId} of workspace {WorkspaceId}, attempt {Attempt}: {Reason}", lead.LeadgenId, lead.WorkspaceId, attempts, reason);
        await leads.MarkFailedAttemptAsync(lead.Id, retryAt is null && !permanent ? $"{reason} (gave up after {attempts} attempts)" : reason, retryAt, ct);
    }
}

/// <summary>
/// The background reader: wakes on a notification or every poll interval, and works through what is due, on the one
/// instance that holds the background lease.
/// </summary>
internal sealed class LeadFetcher(LeadProcessor processor, BackgroundLease lease, IOptions<LeadAdsOptions> options, ILogger<LeadFetcher> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.FetchInBackground)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await lease.WaitUntilHeldAsync(stoppingToken);
                await processor.ProcessDueAsync(stoppingToken);
                await processor.WaitForWorkAsync(options.Value.PollInterval, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // A database hiccup must not end the reader: the leads stay waiting, and the next poll tries again.
                logger.LogError(exception, "Reading leads failed; trying again at the next poll");
                await Task.Delay(options.Value.PollInterval, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
