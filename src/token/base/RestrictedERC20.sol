// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";

/// @title RestrictedERC20
/// @notice ERC-20 + ERC-2612 permit whose balance word also carries a deny-list flag.
/// @dev A transfer must read both balances anyway, so checking that neither side is denied costs no extra
///      storage read: this is what keeps a deny-listed, pausable token within ~10% of a bare ERC-20 transfer.
///      Balances are `uint248`; `_mint` keeps `totalSupply` below `type(uint248).max` so they cannot overflow.
abstract contract RestrictedERC20 is IERC20Metadata, IERC20Permit, IERC20Errors, EIP712, Nonces {
    /// @dev One storage word per holder: balance in the low 248 bits, deny flag in the top byte.
    struct Account {
        uint248 balance; // [wad]
        bool denied;
    }

    bytes32 private constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    mapping(address account => Account) private _accounts;
    mapping(address owner => mapping(address spender => uint256)) private _allowances;
    uint256 private _totalSupply; // [wad]

    /// @notice Thrown when a deny-listed address sends, receives, approves or spends.
    error AccountDenied(address account);
    /// @notice Thrown when a permit is used after its deadline.
    error PermitExpired(uint256 deadline);
    /// @notice Thrown when a permit signature does not recover to the owner.
    error PermitInvalidSigner(address signer, address owner);
    /// @notice Thrown when minting would push the total supply past `type(uint248).max`.
    error SupplyOverflow();

    constructor(string memory eip712Name, string memory eip712Version) EIP712(eip712Name, eip712Version) {}

    // ---------------------------------------------------------------- views

    /// @inheritdoc IERC20Metadata
    function decimals() public pure virtual returns (uint8) {
        return 18;
    }

    /// @inheritdoc IERC20
    function totalSupply() public view virtual returns (uint256) {
        return _totalSupply;
    }

    /// @inheritdoc IERC20
    function balanceOf(address account) public view virtual returns (uint256) {
        return _accounts[account].balance;
    }

    /// @inheritdoc IERC20
    function allowance(address owner, address spender) public view virtual returns (uint256) {
        return _allowances[owner][spender];
    }

    /// @notice Whether `account` is on the deny list.
    function isDenied(address account) public view virtual returns (bool) {
        return _accounts[account].denied;
    }

    /// @inheritdoc IERC20Permit
    function nonces(address owner) public view virtual override(IERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }

    /// @inheritdoc IERC20Permit
    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view virtual returns (bytes32) {
        return _domainSeparatorV4();
    }

    // ---------------------------------------------------------------- ERC-20

    /// @inheritdoc IERC20
    function transfer(address to, uint256 value) public virtual returns (bool) {
        _transfer(msg.sender, to, value);
        return true;
    }

    /// @inheritdoc IERC20
    function transferFrom(address from, address to, uint256 value) public virtual returns (bool) {
        if (_accounts[msg.sender].denied) revert AccountDenied(msg.sender);
        _spendAllowance(from, msg.sender, value);
        _transfer(from, to, value);
        return true;
    }

    /// @inheritdoc IERC20
    function approve(address spender, uint256 value) public virtual returns (bool) {
        _approve(msg.sender, spender, value);
        return true;
    }

    /// @inheritdoc IERC20Permit
    function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)
        public
        virtual
    {
        if (block.timestamp > deadline) revert PermitExpired(deadline);
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner, spender, value, _useNonce(owner), deadline));
        address signer = ECDSA.recover(_hashTypedDataV4(structHash), v, r, s);
        if (signer != owner) revert PermitInvalidSigner(signer, owner);
        _approve(owner, spender, value);
    }

    // ---------------------------------------------------------------- internals

    /// @dev Hook run before every balance change (transfers, mints, burns); used for pause.
    function _beforeUpdate() internal view virtual {}

    /// @dev Refuses the token itself as recipient: AID sent to its own address would be stranded.
    function _transfer(address from, address to, uint256 value) internal {
        if (from == address(0)) revert ERC20InvalidSender(address(0));
        if (to == address(0) || to == address(this)) revert ERC20InvalidReceiver(to);
        _update(from, to, value);
    }

    function _mint(address to, uint256 value) internal {
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        _update(address(0), to, value);
    }

    function _burn(address from, uint256 value) internal {
        if (from == address(0)) revert ERC20InvalidSender(address(0));
        _update(from, address(0), value);
    }

    /// @dev Moves `value` from `from` to `to`; `address(0)` on either side mints or burns.
    ///      Reverts if either side is deny-listed or the sender's balance is short.
    function _update(address from, address to, uint256 value) internal virtual {
        _beforeUpdate();
        if (from == address(0)) {
            uint256 supply = _totalSupply;
            unchecked {
                // supply <= uint248 max: no underflow; and `supply + value` is only computed once it fits
                if (value > type(uint248).max - supply) revert SupplyOverflow();
                _totalSupply = supply + value;
            }
        } else {
            Account storage src = _accounts[from];
            (uint256 balance, bool denied) = (src.balance, src.denied);
            if (denied) revert AccountDenied(from);
            if (balance < value) revert ERC20InsufficientBalance(from, balance, value);
            unchecked {
                // forge-lint: disable-next-line(unsafe-typecast)
                src.balance = uint248(balance - value);
            }
        }
        if (to == address(0)) {
            unchecked {
                _totalSupply -= value;
            }
        } else {
            Account storage dst = _accounts[to];
            if (dst.denied) revert AccountDenied(to);
            unchecked {
                // forge-lint: disable-next-line(unsafe-typecast)
                dst.balance += uint248(value); // cannot overflow: sum of balances == totalSupply <= uint248 max
            }
        }
        emit Transfer(from, to, value);
    }

    function _approve(address owner, address spender, uint256 value) internal {
        if (owner == address(0)) revert ERC20InvalidApprover(address(0));
        if (spender == address(0)) revert ERC20InvalidSpender(address(0));
        if (_accounts[owner].denied) revert AccountDenied(owner);
        if (_accounts[spender].denied) revert AccountDenied(spender);
        _allowances[owner][spender] = value;
        emit Approval(owner, spender, value);
    }

    function _spendAllowance(address owner, address spender, uint256 value) internal {
        uint256 current = _allowances[owner][spender];
        if (current != type(uint256).max) {
            if (current < value) revert ERC20InsufficientAllowance(spender, current, value);
            unchecked {
                _allowances[owner][spender] = current - value;
            }
        }
    }

    /// @dev Sets the deny flag without touching the balance.
    function _setDenied(address account, bool denied) internal {
        _accounts[account].denied = denied;
    }

    /// @dev Moves a balance regardless of deny flags (used only by admin recovery paths).
    function _forceMove(address from, address to, uint256 value) internal {
        Account storage src = _accounts[from];
        uint256 balance = src.balance;
        if (balance < value) revert ERC20InsufficientBalance(from, balance, value);
        unchecked {
            // forge-lint: disable-next-line(unsafe-typecast)
            src.balance = uint248(balance - value);
            // forge-lint: disable-next-line(unsafe-typecast)
            _accounts[to].balance += uint248(value);
        }
        emit Transfer(from, to, value);
    }
}
