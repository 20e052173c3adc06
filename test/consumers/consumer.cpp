// A C++11 host: the public header compiles as C++ (-Wall -Wextra -Werror)
// and links as C. Loads a workflow, fires one event, and fails unless the
// order lands in the expected state.
// Usage: consumer_cxx WORKFLOW EVENT EXPECTED_STATE
#include <dosm.h>

#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

int main(int argc, char **argv)
{
    if (argc != 4)
        return 2;
    std::ifstream file(argv[1], std::ios::binary);
    if (!file)
        return 2;
    const std::string yaml((std::istreambuf_iterator<char>(file)),
                           std::istreambuf_iterator<char>());

    dosm_def *def = nullptr;
    dosm_error err;
    if (dosm_load(yaml.data(), yaml.size(), argv[1], nullptr, &def, &err) != DOSM_OK) {
        std::cerr << err.source << ':' << err.line << ':' << err.column << ": "
                  << err.text << '\n';
        return 1;
    }
    dosm_instance order = dosm_instance_initial(def);
    dosm_request req = {};
    req.event = argv[2];
    dosm_outcome out;
    const bool fired = dosm_fire(def, nullptr, &order, &req, &out) == DOSM_OK;
    if (fired)
        std::cout << out.record.from << " -> " << out.record.to << " (C++)\n";
    else
        std::cerr << out.text << '\n';
    const bool landed = fired && std::string(out.record.to) == argv[3];
    dosm_def_free(def);
    return landed ? 0 : 1;
}
