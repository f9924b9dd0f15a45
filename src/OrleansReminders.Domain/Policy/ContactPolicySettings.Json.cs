using System.Text.Json;
using NodaTime;
using OrleansReminders.Domain.Common;

namespace OrleansReminders.Domain.Policy;

public sealed partial record ContactPolicySettings
{
    /// <summary>
    /// Reads settings from JSON (camelCase; property names match case-insensitively). Every property is
    /// optional and overrides the default; a preset or channel given in part keeps the rest of its defaults.
    /// Returns the settings, or every parse and validation error with paths under <paramref name="pathPrefix"/>.
    /// </summary>
    public static PolicyParseResult<ContactPolicySettings> FromJson(JsonElement json, string pathPrefix)
    {
        var reader = new PolicyJsonReader();
        var settings = Read(reader, json, pathPrefix);
        var errors = reader.Errors.Concat(settings.Validate(pathPrefix)).ToList();
        return new PolicyParseResult<ContactPolicySettings>(errors.Count == 0 ? settings : null, errors);
    }

    private static ContactPolicySettings Read(PolicyJsonReader reader, JsonElement json, string path)
    {
        var settings = Default;
        if (!reader.IsObject(json, path))
        {
            return settings;
        }

        foreach (var property in json.EnumerateObject())
        {
            settings = ReadProperty(reader, settings, property, PolicyPath.Join(path, property.Name));
        }

        return settings;
    }

    private static ContactPolicySettings ReadProperty(
        PolicyJsonReader reader, ContactPolicySettings s, JsonProperty property, string at)
    {
        var value = property.Value;
        return PolicyJsonReader.Key(property.Name) switch
        {
            "JURISDICTIONS" => s with { Jurisdictions = ReadJurisdictions(reader, value, at, s.Jurisdictions) },
            "PREFERREDWINDOW" => s with { PreferredWindow = reader.Window(value, at, s.PreferredWindow) },
            "SEGMENTWINDOWS" => s with { SegmentWindows = ReadSegments(reader, value, at, s.SegmentWindows) },
            "ENFORCEPREFERREDWINDOW" => s with { EnforcePreferredWindow = reader.Bool(value, at, s.EnforcePreferredWindow) },
            "URGENTIGNORESPREFERREDWINDOW" => s with
            {
                UrgentIgnoresPreferredWindow = reader.Bool(value, at, s.UrgentIgnoresPreferredWindow),
            },
            "CHANNELS" => s with { Channels = ReadChannels(reader, value, at, s.Channels) },
            "MINIMUMGAPANYCHANNEL" => s with { MinimumGapAnyChannel = reader.Duration(value, at, s.MinimumGapAnyChannel) },
            "WEEKSTARTSON" => s with { WeekStartsOn = ReadDay(reader, value, at, s.WeekStartsOn) },
            "SKIPHOLIDAYS" => s with { SkipHolidays = reader.Bool(value, at, s.SkipHolidays) },
            "ONUNCOVEREDDATE" => s with { OnUncoveredDate = ReadUncovered(reader, value, at, s.OnUncoveredDate) },
            "SEGMENTAVOIDWEEKENDS" => s with { SegmentAvoidWeekends = ReadSegmentFlags(reader, value, at, s.SegmentAvoidWeekends) },
            "SKIPBIRTHDAYS" => s with { SkipBirthdays = reader.Bool(value, at, s.SkipBirthdays) },
            "SEARCHHORIZON" => s with { SearchHorizon = reader.Duration(value, at, s.SearchHorizon) },
            _ => Unknown(reader, s, at),
        };
    }

    private static ContactPolicySettings Unknown(PolicyJsonReader reader, ContactPolicySettings s, string at)
    {
        reader.Unknown(at);
        return s;
    }

    private static Dictionary<string, JurisdictionRules> ReadJurisdictions(
        PolicyJsonReader reader, JsonElement json, string path, IReadOnlyDictionary<string, JurisdictionRules> current)
    {
        var result = new Dictionary<string, JurisdictionRules>(current, StringComparer.OrdinalIgnoreCase);
        if (!reader.IsObject(json, path))
        {
            return result;
        }

        foreach (var property in json.EnumerateObject())
        {
            var at = PolicyPath.Join(path, property.Name);
            var baseline = result.TryGetValue(property.Name, out var known) ? known : new JurisdictionRules();
            result[property.Name] = ReadJurisdiction(reader, property.Value, at, baseline);
        }

        return result;
    }

    private static JurisdictionRules ReadJurisdiction(PolicyJsonReader reader, JsonElement json, string path, JurisdictionRules r)
    {
        if (!reader.IsObject(json, path))
        {
            return r;
        }

        foreach (var property in json.EnumerateObject())
        {
            var at = PolicyPath.Join(path, property.Name);
            var value = property.Value;
            r = PolicyJsonReader.Key(property.Name) switch
            {
                "ALLOWEDWINDOW" => r with { AllowedWindow = reader.Window(value, at, r.AllowedWindow) },
                "ALLCANDIDATEZONES" => r with { AllCandidateZones = reader.Bool(value, at, r.AllCandidateZones) },
                "MAXCONNECTEDCALLSPERDAY" => r with
                {
                    MaxConnectedCallsPerDay = reader.OptionalInt(value, at, r.MaxConnectedCallsPerDay),
                },
                "MAXCALLATTEMPTSROLLING7DAYS" => r with
                {
                    MaxCallAttemptsRolling7Days = reader.OptionalInt(value, at, r.MaxCallAttemptsRolling7Days),
                },
                "MINCOLLECTIONCYCLEGAPDAYS" => r with
                {
                    MinCollectionCycleGapDays = reader.OptionalInt(value, at, r.MinCollectionCycleGapDays),
                },
                "REQUIREOPTOUTTEXT" => r with { RequireOptOutText = reader.Bool(value, at, r.RequireOptOutText) },
                "AVOIDWEEKENDS" => r with { AvoidWeekends = reader.Bool(value, at, r.AvoidWeekends) },
                _ => UnknownKeep(reader, r, at),
            };
        }

        return r;
    }

    private static Dictionary<string, TimeWindow> ReadSegments(
        PolicyJsonReader reader, JsonElement json, string path, IReadOnlyDictionary<string, TimeWindow> current)
    {
        var result = new Dictionary<string, TimeWindow>(current, StringComparer.OrdinalIgnoreCase);
        if (!reader.IsObject(json, path))
        {
            return result;
        }

        foreach (var property in json.EnumerateObject())
        {
            var at = PolicyPath.Join(path, property.Name);
            var baseline = result.TryGetValue(property.Name, out var known) ? known : TimeWindow.Of(9, 17);
            result[property.Name] = reader.Window(property.Value, at, baseline);
        }

        return result;
    }

    private static Dictionary<string, bool> ReadSegmentFlags(
        PolicyJsonReader reader, JsonElement json, string path, IReadOnlyDictionary<string, bool> current)
    {
        var result = new Dictionary<string, bool>(current, StringComparer.OrdinalIgnoreCase);
        if (!reader.IsObject(json, path))
        {
            return result;
        }

        foreach (var property in json.EnumerateObject())
        {
            result[property.Name] = reader.Bool(property.Value, PolicyPath.Join(path, property.Name), false);
        }

        return result;
    }

    /// <summary>"hold" or "allow" (any case), as in the service setting <c>ContactPolicy:OnUncoveredDate</c>.</summary>
    public static bool TryParseUncoveredDate(string? text, out UncoveredDateAction action) =>
        Enum.TryParse(text?.Trim(), ignoreCase: true, out action) && Enum.IsDefined(action) && !int.TryParse(text, out _);

    private static UncoveredDateAction ReadUncovered(PolicyJsonReader reader, JsonElement json, string path, UncoveredDateAction fallback)
    {
        if (json.ValueKind == JsonValueKind.String && TryParseUncoveredDate(json.GetString(), out var action))
        {
            return action;
        }

        reader.Error(path, "must be \"hold\" or \"allow\"");
        return fallback;
    }

    private static Dictionary<Channel, ChannelRules> ReadChannels(
        PolicyJsonReader reader, JsonElement json, string path, IReadOnlyDictionary<Channel, ChannelRules> current)
    {
        var result = new Dictionary<Channel, ChannelRules>(current);
        if (!reader.IsObject(json, path))
        {
            return result;
        }

        foreach (var property in json.EnumerateObject())
        {
            var at = PolicyPath.Join(path, property.Name);
            if (!Enum.TryParse<Channel>(property.Name, ignoreCase: true, out var channel) || !Enum.IsDefined(channel))
            {
                reader.Error(at, "is not a channel (sms, email, call, agency)");
                continue;
            }

            var baseline = result.TryGetValue(channel, out var known) ? known : new ChannelRules();
            result[channel] = ReadChannel(reader, property.Value, at, baseline);
        }

        return result;
    }

    private static ChannelRules ReadChannel(PolicyJsonReader reader, JsonElement json, string path, ChannelRules c)
    {
        if (!reader.IsObject(json, path))
        {
            return c;
        }

        foreach (var property in json.EnumerateObject())
        {
            var at = PolicyPath.Join(path, property.Name);
            var value = property.Value;
            c = PolicyJsonReader.Key(property.Name) switch
            {
                "PERDAY" => c with { PerDay = reader.OptionalInt(value, at, c.PerDay) },
                "PERCALENDARWEEK" => c with { PerCalendarWeek = reader.OptionalInt(value, at, c.PerCalendarWeek) },
                "ROLLING7DAYS" => c with { Rolling7Days = reader.OptionalInt(value, at, c.Rolling7Days) },
                "MINIMUMGAP" => c with { MinimumGap = reader.Duration(value, at, c.MinimumGap) },
                "URGENTMAYEXCEEDWEEKLYCAP" => c with
                {
                    UrgentMayExceedWeeklyCap = reader.Bool(value, at, c.UrgentMayExceedWeeklyCap),
                },
                "CONTACTRULESAPPLY" => c with { ContactRulesApply = reader.Bool(value, at, c.ContactRulesApply) },
                _ => UnknownKeep(reader, c, at),
            };
        }

        return c;
    }

    private static IsoDayOfWeek ReadDay(PolicyJsonReader reader, JsonElement json, string path, IsoDayOfWeek fallback)
    {
        if (json.ValueKind == JsonValueKind.String
            && Enum.TryParse<IsoDayOfWeek>(json.GetString(), ignoreCase: true, out var day)
            && day != IsoDayOfWeek.None && Enum.IsDefined(day))
        {
            return day;
        }

        reader.Error(path, "must be a day of the week such as \"monday\"");
        return fallback;
    }

    private static T UnknownKeep<T>(PolicyJsonReader reader, T value, string at)
    {
        reader.Unknown(at);
        return value;
    }
}
