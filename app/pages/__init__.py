"""Pages of the app: each module follows the contract in app/router.py."""
