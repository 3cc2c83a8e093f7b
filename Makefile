# mapvisor: static-partitioning hypervisor for ARM64, speaking the Xen guest ABI.
#   make run     install dependencies, build, boot the default scenario in QEMU
#   make run-linux  Debian's Linux as dom0, an interactive shell on hvc0 (Ctrl-A x leaves)
#   make test    install dependencies, build, run host unit tests and every QEMU scenario
#   make bench   deterministic costs of the memory modes (QEMU -icount)
#   make compare-xen  the same guests under Xen 4.17 and mapvisor: answers and costs
#   make         build only (hypervisor, guests, unit tests)

CROSS   ?= aarch64-linux-gnu-
TCC     := $(CROSS)gcc
OBJCOPY := $(CROSS)objcopy
HOSTCC  ?= gcc
B       := build
PYTHON  ?= python3

FDT_DIR := $(B)/deps/libfdt-arm64/usr
FDT_A   := $(FDT_DIR)/lib/aarch64-linux-gnu/libfdt.a
# Recursive (=) on purpose: on a fresh machine the cross compiler only exists once deps.sh
# has run, which happens after make has read this file.
GCC_INC = $(shell $(TCC) -print-file-name=include 2>/dev/null)

# Freestanding, general registers only: the hypervisor never touches guest FP/SIMD state.
# -mstrict-align: code that runs with the MMU off (early boot, guests) sees Device memory.
# -fpie: both hypervisor and guests relocate themselves (lib/image.S), since a direct-mapped
# domain's kernel runs wherever its machine memory is.
T_CFLAGS = -std=c11 -O2 -g -Wall -Wextra -Werror -ffreestanding -fno-builtin -nostdinc \
	-Ilib/include/shared \
	-isystem $(GCC_INC) -Ilib/include -Iinclude -I$(FDT_DIR)/include \
	-mgeneral-regs-only -mstrict-align -march=armv8-a -fpie -fvisibility=hidden \
	-fno-stack-protector -fno-common -fno-tree-loop-distribute-patterns -ffunction-sections -fdata-sections -MMD -MP
T_ASFLAGS := -g -Iinclude -Ihv/include -Iguest/lib -march=armv8-a -MMD -MP
T_LDFLAGS := -nostdlib -static-pie -Wl,--no-dynamic-linker -Wl,-z,text -Wl,--gc-sections \
	-Wl,-z,norelro -Wl,--build-id=none -Wl,-z,noexecstack -Wl,--no-warn-rwx-segments

CHANGESET := $(shell git describe --always --dirty 2>/dev/null || echo unavailable)
# hv/drivers' own headers are on the path for the hypervisor build only: a core file that
# includes one breaks the unit-test build, which compiles hv/core without it.
HV_CFLAGS = $(T_CFLAGS) -iquote hv/include -iquote hv/arch/arm64 -iquote hv/drivers -DMAPVISOR_HV \
	-DMAPVISOR_CHANGESET='"$(CHANGESET)"'
HV_CORE   := $(wildcard hv/core/*.c)
HV_SRCS   := $(HV_CORE) $(wildcard hv/arch/arm64/*.c hv/drivers/*.c) lib/string.c lib/printf.c \
	lib/xenfeat_names.c
HV_ASM    := $(wildcard hv/arch/arm64/*.S) lib/image.S
HV_OBJS   := $(patsubst %,$(B)/hv/%.o,$(HV_SRCS) $(HV_ASM))

GUEST_CFLAGS = $(T_CFLAGS) -Iguest/lib
GUEST_LIB    := $(patsubst %,$(B)/guest/%.o,$(wildcard guest/lib/*.c guest/lib/*.S) \
	lib/string.c lib/printf.c lib/xenfeat_names.c lib/xen_dma.c lib/image.S)
GUEST_PROGS  := $(patsubst guest/progs/%.c,%,$(wildcard guest/progs/*.c))
GUEST_IMGS   := $(patsubst %,$(B)/guest/%.img,$(GUEST_PROGS))

# Programs Linux guests run in the scenarios' initramfs: static arm64 binaries (Debian's
# libc6-dev-arm64-cross), using Linux's own /dev/xen interfaces.
LINUX_PROGS  := $(patsubst tests/linux/progs/%.c,$(B)/linux-progs/%,$(wildcard tests/linux/progs/*.c))

UNIT_CFLAGS = -std=c11 -O1 -g -Wall -Wextra -Werror -Iinclude -iquote hv/include -Itests/unit/include -Ilib/include/shared \
	-DMAPVISOR_HOST_TEST -fsanitize=address,undefined -fno-omit-frame-pointer
UNIT_SRCS   := $(HV_CORE) lib/xenfeat_names.c lib/xen_dma.c $(wildcard tests/unit/*.c)
UNIT_BIN    := $(B)/tests/unit/run

SCENARIOS   := $(sort $(wildcard scenarios/*.scn))

# dmacheck: the hypervisor's own parsing and policy code, built for the host.
DMACHECK_SRCS := tools/dmacheck.c $(addprefix hv/core/,dt.c bootinfo.c dma_protect.c colour.c \
	cmdline.c domain_cfg.c features.c log.c claim.c pci.c) lib/xenfeat_names.c lib/xen_dma.c
FUZZ_BIN      := $(B)/fuzz_dmacheck
DMACHECK_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -O2 -g -Wall -Wextra -Werror -Iinclude \
	-iquote hv/include -Itests/unit/include -Ilib/include/shared

# Keep objects: make would otherwise delete the guests' as intermediates (and print it last).
.SECONDARY:

.PHONY: all deps run run-linux test unit system bench compare-xen dmacheck-boards format clean linux-mod
all: $(B)/mapvisor.bin $(GUEST_IMGS) $(UNIT_BIN) $(B)/dmacheck $(FUZZ_BIN) $(LINUX_PROGS) linux-mod

deps:
	@bash tools/deps.sh

# --- hypervisor -------------------------------------------------------------------------
$(B)/hv/%.c.o: %.c | deps-built
	@mkdir -p $(dir $@)
	@echo '  CC      $<'
	@$(TCC) $(HV_CFLAGS) -c $< -o $@

$(B)/hv/%.S.o: %.S | deps-built
	@mkdir -p $(dir $@)
	@echo '  AS      $<'
	@$(TCC) $(T_ASFLAGS) -DMAPVISOR_HV -c $< -o $@

# Xen's XENVER_build_id: the hypervisor carries a GNU build id (SHA-1 of its contents).
HV_LDFLAGS = $(filter-out -Wl$(comma)--build-id=none,$(T_LDFLAGS)) -Wl,--build-id=sha1
comma := ,

$(B)/mapvisor.elf: $(HV_OBJS) hv/arch/arm64/hv.lds $(FDT_A)
	@echo '  LD      $@'
	@$(TCC) $(HV_LDFLAGS) -T hv/arch/arm64/hv.lds -o $@ $(HV_OBJS) $(FDT_A) -lgcc
	@$(PYTHON) tools/check_relocs.py $@

$(B)/mapvisor.bin: $(B)/mapvisor.elf
	@$(OBJCOPY) -O binary $< $@

# --- guests ----------------------------------------------------------------------------
$(B)/guest/%.c.o: %.c | deps-built
	@mkdir -p $(dir $@)
	@echo '  CC      $<'
	@$(TCC) $(GUEST_CFLAGS) -c $< -o $@

$(B)/guest/%.S.o: %.S | deps-built
	@mkdir -p $(dir $@)
	@echo '  AS      $<'
	@$(TCC) $(T_ASFLAGS) -c $< -o $@

$(B)/guest/%.elf: $(B)/guest/guest/progs/%.c.o $(GUEST_LIB) guest/lib/guest.lds
	@echo '  LD      $@'
	@$(TCC) $(T_LDFLAGS) -T guest/lib/guest.lds -o $@ $< $(GUEST_LIB) -lgcc
	@$(PYTHON) tools/check_relocs.py $@

$(B)/linux-progs/%: tests/linux/progs/%.c tests/linux/progs/xen_dev.h | deps-built
	@mkdir -p $(dir $@)
	@echo '  CC      $<'
	@$(TCC) -static -O2 -Wall -Wextra -Werror -o $@ $<

# The Linux module (linux/, GPL-2.0) against Debian's headers for the tests' kernel, with
# the kernel's own compiler version; SKIP (and success) when they cannot be fetched.
linux-mod: | deps-built
	+@bash tools/build-linux-mod.sh

$(B)/guest/%.img: $(B)/guest/%.elf
	@$(OBJCOPY) -O binary $< $@

# --- host unit tests --------------------------------------------------------------------
$(UNIT_BIN): $(UNIT_SRCS) lib/string.c $(wildcard hv/include/*.h include/xen/*.h tests/unit/*.h) | deps-built
	@mkdir -p $(dir $@)
	@echo '  HOSTCC  $@'
	@$(HOSTCC) $(UNIT_CFLAGS) -o $@ $(UNIT_SRCS) -lfdt -lcmocka -pthread

$(B)/dmacheck: $(DMACHECK_SRCS) $(wildcard hv/include/*.h) | deps-built
	@echo '  HOSTCC  $@'
	@$(HOSTCC) $(DMACHECK_CFLAGS) -o $@ $(DMACHECK_SRCS) -lfdt

$(FUZZ_BIN): tools/fuzz_dmacheck.c $(DMACHECK_SRCS) $(wildcard hv/include/*.h) | deps-built
	@echo '  CLANG   $@'
	@clang -std=c11 -D_DEFAULT_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
		-Iinclude -iquote hv/include -iquote tools -Itests/unit/include -Ilib/include/shared \
		-o $@ tools/fuzz_dmacheck.c $(filter-out tools/dmacheck.c,$(DMACHECK_SRCS)) -lfdt

# deps-built: an order-only marker so a fresh clone installs its tools before compiling.
.PHONY: deps-built
deps-built:
	@bash tools/deps.sh

# --- running -----------------------------------------------------------------------------
run: all
	@$(PYTHON) tests/system/run.py --show scenarios/default.scn

# Interactive: QEMU's serial line is this terminal (tests/linux/run-linux.scn).
run-linux: all
	@$(PYTHON) tests/system/run.py --interactive tests/linux/run-linux.scn

unit: $(UNIT_BIN)
	@$(UNIT_BIN)

system: all
	@$(PYTHON) tests/system/run.py $(SCENARIOS)

test: all
	@$(PYTHON) tests/system/run.py --unit $(UNIT_BIN) --dmacheck --fuzz $(FUZZ_BIN) \
		--compare-xen $(SCENARIOS)

# dmacheck over every board DTB of Debian's arm64 kernel package (the README's table).
dmacheck-boards: $(B)/dmacheck
	@$(B)/dmacheck --all "$$(bash tools/fetch-dtbs.sh)"

# Deterministic (-icount) costs of the memory modes: stage-2 entries, boot to first instruction.
bench: all
	@$(PYTHON) bench/run.py

# Boots the same guests and DTB under Debian's Xen 4.17 and under mapvisor: answers and costs.
compare-xen: all
	@$(PYTHON) tests/compare/compare.py --costs

# Formats the lines changed since HEAD (staged or not; new files must be added first): the
# tree predates .clang-format in places, and reformatting whole files would bury real changes.
# include/arm/ is left out: its headers are also read by the assembler.
format:
	git clang-format -q --extensions c,h -- hv guest lib tools tests/unit include/xen

clean:
	rm -rf $(B)/hv $(B)/guest $(B)/tests $(B)/scenarios $(B)/*.elf $(B)/*.bin

-include $(shell find $(B) -path $(B)/deps -prune -o -name '*.d' -type f -print 2>/dev/null)
