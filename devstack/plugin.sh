#!/usr/bin/env bash
# shellcheck disable=SC1091,SC2154
# The devstack plugin of Congress. stack.sh, unstack.sh and clean.sh source
# this file with the phase as arguments:
#   stack pre-install | install | post-config | extra | test-config
#   unstack
#   clean
# (SC1091: lib/congress is found at run time; SC2154: devstack's globals.)

source "$(dirname "${BASH_SOURCE[0]}")/lib/congress"

# Nothing at all unless at least one role runs here.
if is_congress_enabled; then
    case "$1 ${2:-}" in
        "stack install")
            echo_summary "Installing Congress"
            install_congress
            ;;
        "stack post-config")
            echo_summary "Configuring Congress"
            configure_congress
            if is_service_enabled keystone; then
                create_congress_accounts
            fi
            init_congress
            ;;
        "stack extra")
            echo_summary "Starting Congress"
            start_congress
            if is_service_enabled congress-api; then
                create_congress_datasources
            fi
            ;;
        "stack test-config")
            if is_service_enabled tempest; then
                echo_summary "Configuring tempest for Congress"
                configure_tempest_for_congress
            fi
            ;;
        "unstack "*)
            stop_congress
            ;;
        "clean "*)
            cleanup_congress
            ;;
    esac
fi
