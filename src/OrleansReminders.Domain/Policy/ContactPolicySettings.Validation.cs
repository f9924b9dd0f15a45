using NodaTime;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Policy;

public sealed partial record ContactPolicySettings
{
    private static readonly Duration MaxHorizon = Duration.FromDays(366);

    /// <summary>All problems at once, each with its JSON path under <paramref name="pathPrefix"/>.</summary>
    public IReadOnlyList<FieldError> Validate(string pathPrefix)
    {
        var errors = new List<FieldError>();
        ValidateJurisdictions(PolicyPath.Join(pathPrefix, "jurisdictions"), errors);
        ValidateWindow(PreferredWindow, PolicyPath.Join(pathPrefix, "preferredWindow"), errors);
        var allowed = RulesFor(DefaultJurisdiction).AllowedWindow;
        if (PreferredWindow.IsValid && allowed.IsValid && !PreferredWindow.IsInside(allowed))
        {
            errors.Add(new FieldError(PolicyPath.Join(pathPrefix, "preferredWindow"),
                $"must lie inside the default allowed window {allowed}"));
        }

        foreach (var (segment, window) in SegmentWindows)
        {
            ValidateWindow(window, PolicyPath.Join(pathPrefix, $"segmentWindows.{segment}"), errors);
        }

        foreach (var (channel, rules) in Channels)
        {
            ValidateChannel(rules, PolicyPath.Join(pathPrefix, $"channels.{PolicyPath.Camel(channel.ToString())}"), errors);
        }

        NonNegative(MinimumGapAnyChannel, PolicyPath.Join(pathPrefix, "minimumGapAnyChannel"), errors);
        if (SearchHorizon < Duration.FromHours(1) || SearchHorizon > MaxHorizon)
        {
            errors.Add(new FieldError(PolicyPath.Join(pathPrefix, "searchHorizon"), "must be between 1 hour and 366 days"));
        }

        if (!Enum.IsDefined(OnUncoveredDate))
        {
            errors.Add(new FieldError(PolicyPath.Join(pathPrefix, "onUncoveredDate"), "must be hold or allow"));
        }

        if (WeekStartsOn == IsoDayOfWeek.None)
        {
            errors.Add(new FieldError(PolicyPath.Join(pathPrefix, "weekStartsOn"), "must be a day of the week"));
        }

        return errors;
    }

    private void ValidateJurisdictions(string path, List<FieldError> errors)
    {
        if (!Jurisdictions.ContainsKey(DefaultJurisdiction))
        {
            errors.Add(new FieldError(path, $"must contain the \"{DefaultJurisdiction}\" preset"));
        }

        foreach (var (code, rules) in Jurisdictions)
        {
            var at = PolicyPath.Join(path, code);
            ValidateWindow(rules.AllowedWindow, PolicyPath.Join(at, "allowedWindow"), errors);
            AtLeastOne(rules.MaxConnectedCallsPerDay, PolicyPath.Join(at, "maxConnectedCallsPerDay"), errors);
            AtLeastOne(rules.MaxCallAttemptsRolling7Days, PolicyPath.Join(at, "maxCallAttemptsRolling7Days"), errors);
            AtLeastOne(rules.MinCollectionCycleGapDays, PolicyPath.Join(at, "minCollectionCycleGapDays"), errors);
        }
    }

    private static void ValidateChannel(ChannelRules rules, string path, List<FieldError> errors)
    {
        AtLeastOne(rules.PerDay, PolicyPath.Join(path, "perDay"), errors);
        AtLeastOne(rules.PerCalendarWeek, PolicyPath.Join(path, "perCalendarWeek"), errors);
        AtLeastOne(rules.Rolling7Days, PolicyPath.Join(path, "rolling7Days"), errors);
        NonNegative(rules.MinimumGap, PolicyPath.Join(path, "minimumGap"), errors);
        if (rules.MinimumGap > Duration.FromDays(30))
        {
            errors.Add(new FieldError(PolicyPath.Join(path, "minimumGap"), "must be at most 30 days"));
        }
    }

    private static void ValidateWindow(TimeWindow window, string path, List<FieldError> errors)
    {
        if (!window.IsValid)
        {
            errors.Add(new FieldError(path, $"start {TimeWindow.Format(window.Start)} must be before end {TimeWindow.Format(window.End)}"));
        }
    }

    private static void AtLeastOne(int? value, string path, List<FieldError> errors)
    {
        if (value is < 1)
        {
            errors.Add(new FieldError(path, "must be ≥ 1 (omit or null for no cap)"));
        }
    }

    private static void NonNegative(Duration value, string path, List<FieldError> errors)
    {
        if (value < Duration.Zero)
        {
            errors.Add(new FieldError(path, "must not be negative"));
        }
    }
}
