# Sourced by apply.sh and tests/run.sh: turns an Npgsql connection string ("Host=…;Port=…;Username=…")
# into the libpq environment variables psql reads (PGHOST, PGPORT, …). Unknown keys are ignored; keys
# are matched case-insensitively with the spellings Npgsql accepts.
pg_env_from_npgsql() {
    local conn="$1" part key value
    export PGCONNECT_TIMEOUT="${PGCONNECT_TIMEOUT:-5}"
    IFS=';' read -ra parts <<<"$conn"
    for part in "${parts[@]}"; do
        [[ "$part" == *=* ]] || continue
        key="$(echo "${part%%=*}" | tr -d '[:space:]' | tr '[:upper:]' '[:lower:]')"
        value="${part#*=}"
        value="${value#"${value%%[![:space:]]*}"}"
        value="${value%"${value##*[![:space:]]}"}"
        case "$key" in
            host|server) export PGHOST="$value" ;;
            port) export PGPORT="$value" ;;
            username|userid|user|uid) export PGUSER="$value" ;;
            password|pwd|psw) export PGPASSWORD="$value" ;;
            database|db) export PGDATABASE="$value" ;;
            timeout) export PGCONNECT_TIMEOUT="$value" ;;
            sslmode) export PGSSLMODE="$(echo "$value" | tr '[:upper:]' '[:lower:]')" ;;
        esac
    done
}
