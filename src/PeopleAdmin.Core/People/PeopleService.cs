using Microsoft.EntityFrameworkCore;
using PeopleAdmin.Core.Actions;
using PeopleAdmin.Core.Data;
using PeopleAdmin.Core.People.Writing;

namespace PeopleAdmin.Core.People;

/// <summary>
/// The identity service: every way in (APIs, People page, CSV, forms, snippet, sync) adds and changes people
/// through it, so that one set of rules (<c>identity-rules.md</c>) applies everywhere. Writes go through the
/// single writer; reads open a context of their own. What it commits is told to the rules (<see cref="RuleEngine"/>).
/// </summary>
public sealed partial class PeopleService
{
    private readonly WriteQueue _writer;
    private readonly IDbContextFactory<PeopleAdminDbContext> _factory;
    private readonly TimeProvider _clock;
    private readonly RuleEngine? _rules;

    internal PeopleService(WriteQueue writer, IDbContextFactory<PeopleAdminDbContext> factory, TimeProvider clock, RuleEngine? rules = null)
    {
        _writer = writer;
        _factory = factory;
        _clock = clock;
        _rules = rules;
        rules?.Attach(this);
    }

    /// <summary>Applies one operation; answers once it is committed (or rejected, having changed nothing).</summary>
    public async Task<OperationResult> ExecuteAsync(OperationContext context, PeopleOperation operation, CancellationToken cancellationToken)
    {
        PeopleOperation[] operations = [operation];
        var results = await _writer.SubmitAsync(context, operations, cancellationToken);
        _rules?.Committed(context, operations, results);
        return results[0];
    }

    /// <summary>
    /// The batch entry point (CSV import, v2 batch, bulk actions): applies the operations in order, as if one
    /// after another, each failing alone; answers one result per operation once all are committed.
    /// </summary>
    public async Task<IReadOnlyList<OperationResult>> ExecuteBatchAsync(
        OperationContext context, IReadOnlyList<PeopleOperation> operations, CancellationToken cancellationToken)
    {
        var results = await _writer.SubmitAsync(context, operations, cancellationToken);
        _rules?.Committed(context, operations, results);
        return results;
    }
}
